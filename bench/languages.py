"""What a language costs (issue 20: at most 1 ms of server CPU a page): the same pages for the same
people in English, Welsh and Polish, at the benchmark's scale, in one process.

    python3 -m bench.languages [--scale 1] [--data DIR] [--requests 20] [--rounds 5]

Each round measures every page in every language in turn, starting with a different language each
round (with English always first, the slot table read 1.7 ms dearer in Welsh; rotated, 0.1 ms), so the
languages share whatever else the machine is doing; the figure is the median of the rounds' CPU per
request.
"""

import argparse
import json
import statistics
import sys
from pathlib import Path

LANGUAGES = ("en", "cy", "pl")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--data", help="a bench/data folder already built (default: this checkout's)")
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.build import DATA, PASSWORD, bench_config, ensure, fresh_instance
    from bench.rota import cpu_ms
    from cervis import create_app
    from cervis.migrations import init_db
    from cervis.models import User

    bench = ensure(args.scale, root=Path(args.data) if args.data else DATA)
    app = create_app(bench_config(fresh_instance(bench, "languages"), TESTING=False, WTF_CSRF_ENABLED=False))
    with app.app_context():
        init_db()
    people, largest = bench.facts["people"], bench.facts["largest"]
    pages = {
        "volunteer_20": {
            "portal home": "/portal/",
            "slot table": f"/portal/signup/slots?opportunity={bench.facts['two_month_opportunity']}",
            "View or Cancel": "/portal/registrations",
        },
        "leader": {"rota board": f"/leader/opportunities/{largest['opportunity']}/rota?month={largest['month']}"},
    }
    clients = {}
    for who in pages:
        clients[who] = app.test_client()
        answer = clients[who].post("/login", data={"email": people[who], "password": PASSWORD})
        assert answer.status_code == 303, answer.status_code

    def speak(language):
        with app.app_context():
            User.update(language="" if language == "en" else language).where(
                User.email.in_([people[who] for who in pages])
            ).execute()

    seen = {(who, page, lang): [] for who in pages for page in pages[who] for lang in LANGUAGES}
    for round_ in range(args.rounds):
        # Each round starts with the next language: whatever the order costs falls on each in turn.
        for lang in LANGUAGES[round_ % 3 :] + LANGUAGES[: round_ % 3]:
            speak(lang)
            for who, urls in pages.items():
                for page, url in urls.items():
                    cpu, answer = cpu_ms(clients[who], url, args.requests)
                    assert cpu is not None, (url, answer.status_code)
                    assert lang == "en" or f'lang="{lang}"' in answer.get_data(as_text=True), (url, lang)
                    seen[(who, page, lang)].append(cpu)
    speak("en")
    results = {}
    for who, urls in pages.items():
        for page in urls:
            figures = {lang: round(statistics.median(seen[(who, page, lang)]), 2) for lang in LANGUAGES}
            figures["most added"] = round(max(figures[lang] - figures["en"] for lang in LANGUAGES[1:]), 2)
            results[page] = figures
    print(json.dumps({"scale": args.scale, "requests": args.requests, "rounds": args.rounds, "cpu_ms": results}))


if __name__ == "__main__":
    main()
