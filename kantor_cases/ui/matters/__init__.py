"""The Matters screen and the matter window, with the dialogs that edit a matter's parts (hearings, PD requests, applications)."""
