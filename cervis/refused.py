"""The refusal every rota rule raises, in a module of its own below the rules that share it."""


class Refused(Exception):
    """An action the rota's rules do not allow; the message says why, for the red banner."""
