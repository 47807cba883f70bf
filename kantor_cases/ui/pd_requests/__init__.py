"""The PD requests screen: every prosecutorial-discretion request by status."""
