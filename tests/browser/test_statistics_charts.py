"""The Statistics page's charts in a browser: each SVG drawn at a readable size, its bars saying the
same figures as the table beside it. STATISTICS_CHART_PNG=path also saves the hours chart (the README's)."""

import os
import random
from datetime import timedelta

from conftest import log_in, serving
from helpers_statistics import SEASON, day, figures, member, served

from cervis.db import database


def _a_season():
    rng = random.Random(2026)
    people = [member(name) for name in ("Ann", "Ben", "Cat", "Dan", "Eve", "Fin")]
    south = [member(name, group="Southside") for name in ("Gus", "Hal", "Ivy")]
    for n in range(0, 182, 3):
        when = day(10, 1) + timedelta(days=n)
        roles = rng.sample(["Cook", "Shift Asst", "SL"], rng.randint(1, 3))
        for volunteer, role in zip(rng.sample(people, len(roles)), roles):
            served(volunteer, when, role, hours=rng.choice([3, 12]))
        served(rng.choice(south), when, "Shift Asst", group="Southside", hours=12)
    return figures()


def _table(page, section):
    return page.locator(f"#{section} table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))"
    )


def test_the_statistics_charts_render_and_their_tables_match_the_figures(app, browser):
    with app.app_context(), database.connection_context():
        stats = _a_season()
    with serving(app, ports=range(19410, 19430)) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=url)
        page = context.new_page()
        log_in(page, "ada@example.org")
        page.goto(f"/leader/statistics?period=season&season={SEASON}")
        for section in ("chart-fill-rate", "chart-hours", "chart-active"):
            svg = page.locator(f"#{section} svg")
            svg.wait_for(state="visible")
            box = svg.bounding_box()
            assert box["width"] >= 300 and box["height"] >= 100, (section, box)
            assert page.locator(f"#{section} svg rect[fill^='url(']").count() > 0
        hours = _table(page, "chart-hours")
        months = [f"{m:%b %Y}" for m in stats.months]
        assert [row[0] for row in hours] == months
        for row, month in zip(hours, stats.months):
            for venue, cell in zip(["Northside", "Southside"], row[1:]):
                figures_ = stats.hours_by_month.get((venue, month))
                assert float(cell) == round(figures_.hours if figures_ else 0, 2)
        titles = page.locator("#chart-hours svg rect title").all_text_contents()
        assert f"{months[0]}: Northside, {float(hours[0][1]):g} hours" in titles
        active = _table(page, "chart-active")
        assert [int(row[1]) for row in active] == [stats.active_by_month.get(m, 0) for m in stats.months]
        nights = _table(page, "chart-fill-rate")
        assert len(nights) == len(stats.night_series())
        assert page.locator("#chart-fill-rate svg rect title").count() == len(nights)
        if os.environ.get("STATISTICS_CHART_PNG"):
            page.locator("#chart-hours figure").screenshot(path=os.environ["STATISTICS_CHART_PNG"])
        context.close()
