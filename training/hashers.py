from django.contrib.auth.hashers import PBKDF2PasswordHasher


class SandboxPinHasher(PBKDF2PasswordHasher):
    """The PIN of a training sandbox's simulated eID cards. A four-digit PIN has 10,000 values: what
    protects it is the card blocking after three wrong tries, not the hash's cost. A cheap hash lets a
    trainer create forty sandboxes in seconds; real people's PINs keep the default hasher."""

    algorithm = "pbkdf2_sandbox_pin"
    iterations = 10_000
