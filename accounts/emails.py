"""One identity for an email address.

Every place that takes an address from a person (sign-up, sign-in, the lock-out's count, password reset, a new
confirmation link, the API's token) passes it through `normalise_email`, and accounts are stored and found by the
normalised form with an exact match. Matching in the database with UPPER() or LOWER() instead lets look-alikes such
as the long s (U+017F, which upper-cases to S) reach an account under a key the lock-out counts separately.
"""

import unicodedata


def normalise_email(value: str) -> str:
    """The address as it is stored and counted: Unicode compatibility forms folded (NFKC: the long s is s, the
    Kelvin sign is K, full-width letters are letters), then case-folded, then trimmed. Characters with no plain
    equivalent (the dotless i, U+0131) stay as they are, so they name another address, which has no account."""
    folded = unicodedata.normalize("NFKC", str(value or "")).casefold()
    # Case-folding can leave a string that NFKC would change again (rare, but cheap to close).
    return unicodedata.normalize("NFKC", folded).strip()
