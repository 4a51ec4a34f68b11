"""Times publication-date normalization; reads nothing, prints milliseconds per date for common date forms."""

from __future__ import annotations

import time

from readouts.clean.dates import normalize_date

FORMS = ("2017-07-{day:02d}T10:00:00+03:00", "Sat, {day:02d} Jul 2017 12:00:00 GMT", "July {day}, 2017",
         "{day} lipca 2017")


def main() -> None:
    normalize_date("July 8, 2017")  # loads dateparser's data once, outside the timing
    for form in FORMS:
        texts = [form.format(day=day) for day in range(1, 29)] * 40  # 1,120 dates
        started = time.perf_counter()
        for text in texts:
            normalize_date.cache_clear()  # every date parsed afresh: the cost of a new date
            normalize_date(text)
        elapsed = time.perf_counter() - started
        print(f"{form!r}: {elapsed * 1000 / len(texts):.3f} ms per date")


if __name__ == "__main__":
    main()
