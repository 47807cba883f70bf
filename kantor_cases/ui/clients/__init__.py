"""The Clients screen, the client window and the intake wizard."""
