"""The floor of this stack: a one-widget Streamlit app whose metric follows a multiselect."""

import streamlit as st

chosen = st.multiselect("Countries", ["Italy", "Poland", "Portugal", "Germany"])
st.metric("Organisations", len(chosen) * 7 + 1)
