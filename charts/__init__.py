"""Drawing: figures, maps and export files made from analysis results. No streamlit here."""
