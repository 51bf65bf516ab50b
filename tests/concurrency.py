"""Running calls at the same moment, for tests of what happens when two people (or two jobs) act at once."""

import threading

from django.db import connections


def race(*calls):
    """Run the calls at once, each in its own thread (so its own database connection); return what each returned
    or raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects whichever error each thread met
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
