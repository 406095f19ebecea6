#!/usr/bin/python3
"""The page of `docket serve` (spec §8 "The page") in a real browser.

Debian's chromium, headless, through chromedriver and python3-selenium
(nothing downloaded), against the real `docket serve` on a real archive: the
demo of spec §6 plus one correction. Tables are checked against the same
query's csv from the server and figures worked out by hand from §6; the
charts' marks by count, order and class. Screenshots at 360 and 1280 px go
to $DOCKET_BROWSER_OUT (the build directory).

    page_test.py DOCKET_BINARY SOURCE_DIR OUT_DIR   ($DOCKET_BINARY wins when set)
"""
import csv
import io
import os
import re
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

DOCKET, SOURCE_DIR, OUT_DIR = sys.argv[1:4]
DOCKET = os.environ.get("DOCKET_BINARY", DOCKET)
NOW = "2025-11-01T00:00:00Z"
CORRECTION = ('record espionage[2024] = 24 from IStories on 2025-04 '
              'note "corrected: one more verdict found in the court data, a note long enough to wrap on a phone" '
              'url "https://example.org/court-data/2024/espionage/a-long-address-that-must-wrap-on-a-narrow-screen"')
WAIT = 10  # seconds at most for a state; never slept


class PageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        db = os.path.join(cls.tmp.name, "archive")
        env = dict(os.environ, DOCKET_NOW=NOW)
        for args in (["-f", os.path.join(SOURCE_DIR, "examples/demo/archive.dk")], ["-e", CORRECTION]):
            subprocess.run([DOCKET, "--db", db, *args], env=env, check=True)
        cls.server = subprocess.Popen([DOCKET, "serve", "--db", db, "--listen", "127.0.0.1:0"], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = cls.server.stdout.readline()
        match = re.fullmatch(r"docket serve: listening on (http://127\.0\.0\.1:\d+)\n", line)
        if not match:
            cls.server.kill()
            raise RuntimeError(f"no listening line: {line!r}")
        cls.base = match.group(1)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--force-device-scale-factor=1", "--lang=en"):
            options.add_argument(arg)
        cls.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        cls.driver.set_window_size(1280, 1000)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.server.terminate()
        cls.server.wait(timeout=WAIT)
        cls.tmp.cleanup()

    def setUp(self):
        self.driver.set_window_size(1280, 1000)

    # ------------------------------------------------------------ helpers

    def wait(self, condition):
        return WebDriverWait(self.driver, WAIT, poll_frequency=0.05).until(condition)

    def load(self, q):
        """Opens /?q=Q and waits for its results (or its error)."""
        self.driver.get(f"{self.base}/?q={urllib.parse.quote(q)}")
        self.wait(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-state") or
                  d.find_element(By.ID, "error").is_displayed())

    def load_checked(self, q, ratio=False):
        """Opens /?q=Q and checks its one table against the query's csv."""
        self.load(q)
        self.assert_table_is_csv(q, ratio=ratio)

    def csv_of(self, q):
        """The rows of the server's csv for a one-statement query, as dicts."""
        url = f"{self.base}/api/v1/query?q={urllib.parse.quote(q)}&format=csv"
        with urllib.request.urlopen(url) as r:
            return list(csv.DictReader(io.StringIO(r.read().decode())))

    def table(self, section=None):
        """The first table's header and cells (text, badges left out) in
        `section` or the page, read in one round trip."""
        return self.driver.execute_script("""
            const table = (arguments[0] || document).querySelector("table.rows");
            const text = (td) => { const c = td.cloneNode(true); c.querySelectorAll(".badge").forEach((b) => b.remove());
                                   return c.textContent.trim(); };
            return [[...table.querySelectorAll("thead th")].map((th) => th.textContent),
                    [...table.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map(text))];
            """, section)

    def marks(self, section=None):
        """(class set, data-x, data-value) of each chart mark, in order."""
        marks = self.driver.execute_script("""
            return [...(arguments[0] || document).querySelectorAll("svg.chart g.mark")].map(
                (m) => [m.getAttribute("class"), m.dataset.x, m.dataset.value]);
            """, section)
        return [(set(c.split()), x, v) for c, x, v in marks]

    def sections(self):
        return self.driver.find_elements(By.CSS_SELECTOR, "#results section.result")

    def assert_table_is_csv(self, q, section=None, ratio=False):
        """The table shows the csv's fields in order, and its cells; lo and
        hi of a ratio as the command line's table rounds them."""
        head, rows = self.table(section)
        expected = self.csv_of(q)
        self.assertEqual(head, list(expected[0].keys()))
        self.assertEqual(len(rows), len(expected))
        for row, want in zip(rows, expected):
            for field, cell in zip(head, row):
                if ratio and field in ("lo", "hi") and want[field]:
                    self.assertAlmostEqual(float(cell), float(want[field]), delta=0.01)
                else:
                    self.assertEqual(cell, want[field], field)

    # ------------------------------------------------------------ values

    def test_value_rows_are_the_csv_and_one_dot_per_period(self):
        q = "treason[2013..2024]"
        self.load_checked(q)
        # §6 by hand: 2013 4, 2015 6, 2016 14, 2017 4, 2022 16, 2023 39, 2024 145, all exact.
        marks = self.marks()
        self.assertEqual([(x, v) for _, x, v in marks],
                         [("2013", "4"), ("2015", "6"), ("2016", "14"), ("2017", "4"), ("2022", "16"),
                          ("2023", "39"), ("2024", "145")])
        self.assertTrue(all("exact" in c for c, _, _ in marks))
        # Lines join only periods that touch: 2015-16, 2016-17, 2022-23, 2023-24.
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "svg.chart .lines line")), 4)
        # Winning source and reported date on every row, numbers right-aligned.
        head, rows = self.table()
        self.assertEqual(rows[0][head.index("source")], "PervyiOtdel")
        self.assertEqual(rows[0][head.index("reported")], "2024")
        value = self.driver.find_element(By.CSS_SELECTOR, "table.rows td.f-value")
        self.assertEqual(value.value_of_css_property("text-align"), "right")
        desc = self.driver.find_element(By.CSS_SELECTOR, "svg.chart desc").get_attribute("textContent")
        self.assertIn("treason, 2024: 145 (IStories, reported 2025-04)", desc)

    def test_bounds_and_approximations_are_styled_as_the_command_line_shows_them(self):
        q = "state_secrets"
        self.load_checked(q)
        marks = self.marks()
        # §6: 2016 >=25 (Sputnik), 2023 ~157, 2024 >=209.
        self.assertEqual([(x, v) for _, x, v in marks], [("2016", ">=25"), ("2023", "~157"), ("2024", ">=209")])
        self.assertIn("lower", marks[0][0])
        self.assertTrue({"exact", "approx"} <= marks[1][0])
        self.assertIn("lower", marks[2][0])
        lower = self.driver.find_elements(By.CSS_SELECTOR, "svg.chart g.mark.lower rect")
        self.assertEqual(len(lower), 2)
        self.assertTrue(all("-up-" in r.get_attribute("fill") for r in lower))
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "svg.chart g.mark.approx circle.hollow")), 1)

        # 145 / [209, inf) is at most 0.69377…: `<=0.70`, lo 0.00, hi 0.70 as the table rounds them.
        q = "treason[2024] / state_secrets[2024]"
        self.load_checked(q, ratio=True)
        head, rows = self.table()
        self.assertEqual(rows[0][head.index("value")], "<=0.70")
        self.assertEqual((rows[0][head.index("lo")], rows[0][head.index("hi")]), ("0.00", "0.70"))
        (classes, _, _), = self.marks()
        self.assertIn("upper", classes)
        fade = self.driver.find_element(By.CSS_SELECTOR, "svg.chart g.mark.upper rect").get_attribute("fill")
        self.assertIn("-down-", fade)

    def test_sources_that_disagree_are_marked_in_the_chart_and_the_table(self):
        q = "espionage[2024] by source"
        self.load_checked(q)
        marks = self.marks()
        # IStories' corrected 24 and RTVI's >=28, one group each, in row order.
        self.assertEqual([(x, v) for _, x, v in marks], [("2024", "24"), ("2024", ">=28")])
        self.assertIn("exact", marks[0][0])
        self.assertIn("lower", marks[1][0])
        self.assertTrue(all("conflict" in c for c, _, _ in marks))
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "svg.chart g.conflict-mark")), 1)
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "table.rows tr.conflict")), 2)
        legend = [li.text for li in self.driver.find_elements(By.CSS_SELECTOR, ".legend li")]
        self.assertEqual(legend, ["espionage · IStories", "espionage · RTVI"])

    def test_growth_rows(self):
        q = "growth(treason[2022..2024])"
        self.load_checked(q, ratio=True)
        # 39/16 = 2.4375 -> 2.44; 145/39 = 3.7179… -> 3.72.
        self.assertEqual([(x, v) for _, x, v in self.marks()], [("2023", "2.44"), ("2024", "3.72")])
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "svg.chart .lines line")), 1)
        q = "growth(state_secrets, 2023, 2024)"
        self.load_checked(q, ratio=True)
        (classes, x, value), = self.marks()
        self.assertEqual((x, value), ("2024", "~>=1.33"))
        self.assertTrue({"lower", "approx"} <= classes)

    def test_history_rows_are_steps_over_knowledge_time(self):
        q = "history(espionage[2024])"
        self.load_checked(q)
        # RTVI's >=28 from 2024-12-31 (the last day of 2024-12), then IStories' 24 from 2025-04-30.
        marks = self.marks()
        self.assertEqual([(x, v) for _, x, v in marks], [("2024-12-31", ">=28"), ("2025-04-30", "24")])
        self.assertTrue({"step", "lower"} <= marks[0][0])
        self.assertTrue({"step", "exact"} <= marks[1][0])
        first = self.driver.find_element(By.CSS_SELECTOR, "svg.chart g.mark.lower rect")
        second = self.driver.find_element(By.CSS_SELECTOR, "svg.chart g.mark.exact line")
        self.assertLess(float(first.get_attribute("x")), float(second.get_attribute("x1")))

    def test_vintages_one_line_per_cell_through_the_vintages(self):
        q = "vintages(espionage[2024], 2023..2025)"
        self.load_checked(q)
        # Nothing known at the end of 2023: a row, no mark.
        self.assertEqual([(x, v) for _, x, v in self.marks()], [("2024", ">=28"), ("2025", "24")])
        # Several series of one period: a line per series through the vintages (RTVI's figures of 2024-12).
        q = "vintages(espionage{citizenship=*}[2024], 2024..2025)"
        self.load_checked(q)
        self.assertEqual([(x, v) for _, x, v in self.marks()],
                         [("2024", ">=7"), ("2025", ">=7"), ("2024", ">=18"), ("2025", ">=18"), ("2024", ">=2"),
                          ("2025", ">=2")])
        legend = [li.text for li in self.driver.find_elements(By.CSS_SELECTOR, ".legend li")]
        self.assertEqual(legend, [f'espionage{{citizenship="{c}"}}[2024]' for c in ("RU", "UA", "US")])
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "svg.chart .lines line")), 3)

    def test_revisions_wrap_long_notes_and_link_urls(self):
        q = "revisions(espionage[2024])"
        self.load_checked(q)
        head, rows = self.table()
        self.assertEqual([r[head.index("status")] for r in rows], ["corrected", "current", "current"])
        link = self.driver.find_element(By.CSS_SELECTOR, "table.rows td.f-url a")
        self.assertTrue(link.get_attribute("href").startswith("https://"))
        note = self.driver.find_element(By.CSS_SELECTOR, "table.rows td.f-note")
        self.assertEqual(note.value_of_css_property("overflow-wrap"), "anywhere")
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "svg.chart"), [])

    # ------------------------------------------------------------ the box

    def test_a_typo_shows_the_caret_and_the_suggestion(self):
        self.driver.get(self.base + "/")
        box = self.wait(EC.element_to_be_clickable((By.ID, "query")))
        box.send_keys("tresaon[2024]", Keys.ENTER)
        error = self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, "#error .error-box")))
        self.assertIn("unknown charge `tresaon`", error.text)
        self.assertEqual(error.find_element(By.CSS_SELECTOR, ".caret").get_attribute("textContent"), "^")
        suggestion = error.find_element(By.CSS_SELECTOR, "button.suggestion")
        self.assertEqual(suggestion.text, "treason")
        suggestion.click()
        self.wait(lambda d: "q=treason%5B2024%5D" in d.current_url)
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#results table.rows"))
        self.assertEqual(self.table()[1][0][2], "145")
        # A parse error: the caret under the 13th character.
        self.load("treason[2024")
        caret = self.driver.find_element(By.CSS_SELECTOR, "#error .caret").get_attribute("textContent")
        self.assertEqual(caret, " " * 12 + "^")

    def test_enter_runs_shift_enter_breaks_the_line_and_arrows_walk_the_history(self):
        self.driver.get(self.base + "/")
        box = self.wait(EC.element_to_be_clickable((By.ID, "query")))
        box.send_keys("espionage[2013]", Keys.ENTER)
        self.wait(lambda d: "q=espionage%5B2013%5D" in d.current_url)
        box.clear()
        box.send_keys("treason[2013];", Keys.SHIFT, Keys.ENTER, Keys.SHIFT, "treason[2015]")
        self.assertEqual(box.get_attribute("value"), "treason[2013];\ntreason[2015]")
        box.send_keys(Keys.ENTER)
        self.wait(lambda d: len(self.sections()) == 2)
        # ↑ on the first line: the query before the one just run (which the box shows).
        box.send_keys(Keys.CONTROL, Keys.HOME, Keys.CONTROL, Keys.ARROW_UP)
        self.assertEqual(box.get_attribute("value"), "espionage[2013]")
        box.send_keys(Keys.ARROW_DOWN)
        self.assertEqual(box.get_attribute("value"), "treason[2013];\ntreason[2015]")

    def test_completion_offers_names_from_the_archive(self):
        self.driver.get(self.base + "/")
        box = self.wait(EC.element_to_be_clickable((By.ID, "query")))
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete")
        box.send_keys("espionage{citizenship=\"U")
        options = self.wait(lambda d: [o.text for o in d.find_elements(By.CSS_SELECTOR, "#completions [role=option]")
                                       if o.is_displayed()] or None)
        self.assertEqual(options, ["UA", "US"])
        box.clear()
        box.send_keys("espionage[2024] from RT")
        self.wait(lambda d: [o.text for o in d.find_elements(By.CSS_SELECTOR, "#completions [role=option]")
                             if o.is_displayed()] == ["RTVI"])
        box.send_keys(Keys.TAB)
        self.assertEqual(box.get_attribute("value"), "espionage[2024] from RTVI")
        self.assertFalse(self.driver.find_element(By.ID, "completions").is_displayed())

    def test_the_url_the_command_and_the_csv_link(self):
        q = "espionage[2024] by source -- it's RTVI's"
        self.load(q)
        command = self.driver.find_element(By.ID, "command").text
        self.assertEqual(command, "docket -e 'espionage[2024] by source -- it'\\''s RTVI'\\''s'")
        href = self.driver.find_element(By.ID, "download-csv").get_attribute("href")
        with urllib.request.urlopen(href) as r:
            self.assertEqual(list(csv.DictReader(io.StringIO(r.read().decode()))), self.csv_of(q))
        self.driver.find_element(By.ID, "copy-command").click()
        self.wait(lambda d: d.find_element(By.ID, "status").text.startswith("Command"))

    # ------------------------------------------------------------ the cell view

    def test_a_row_opens_its_cell_with_revisions_history_and_conflicts(self):
        self.load("espionage[2024] by source")
        self.driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")[1].find_element(By.CSS_SELECTOR, "td.f-period").click()
        view = self.wait(EC.visibility_of_element_located((By.ID, "cell-view")))
        self.assertIn("cell=espionage%5B2024%5D", self.driver.current_url)
        self.assertFalse(self.driver.find_element(By.ID, "results").is_displayed())
        self.assertIn("espionage[2024]", view.find_element(By.CSS_SELECTOR, "h2").text)
        self.assertIn("IStories 24 (reported 2025-04) against RTVI >=28 (reported 2024-12)",
                      view.find_element(By.CSS_SELECTOR, ".conflicts").text)
        history, revisions = view.find_elements(By.CSS_SELECTOR, "section.result")
        self.assert_table_is_csv("history(espionage[2024])", history)
        self.assert_table_is_csv("revisions(espionage[2024])", revisions)
        statuses = [tr.find_element(By.CSS_SELECTOR, "td.f-status").text
                    for tr in revisions.find_elements(By.CSS_SELECTOR, "tbody tr")]
        marked = ["conflict" in tr.get_attribute("class").split()
                  for tr in revisions.find_elements(By.CSS_SELECTOR, "tbody tr")]
        self.assertEqual(list(zip(statuses, marked)), [("corrected", False), ("current", True), ("current", True)])
        self.assertEqual(len(self.marks(history)), 2)
        view.find_element(By.CSS_SELECTOR, "a.back").click()
        self.wait(EC.visibility_of_element_located((By.ID, "results")))
        self.assertNotIn("cell=", self.driver.current_url)
        self.assertFalse(self.driver.find_element(By.ID, "cell-view").is_displayed())
        # The browser's back button returns to the cell.
        self.driver.back()
        self.wait(EC.visibility_of_element_located((By.ID, "cell-view")))

    # ------------------------------------------------------------ widths, keyboard

    def test_screenshots_at_phone_and_desktop_widths(self):
        q = "espionage[2024] by source; history(espionage[2024])"
        for width in (360, 1280):
            self.driver.set_window_size(width, 900)
            self.load(q)
            self.wait(lambda d: len(self.sections()) == 2)
            for selector in ("header.top", "#query", "#run", "#copy-command", "#download-csv", "#results",
                             "#results svg.chart", "#results table.rows"):
                element = self.driver.find_element(By.CSS_SELECTOR, selector)
                self.assertTrue(element.is_displayed(), f"{selector} at {width} px")
            # Nothing wider than the screen, and the source of a value row in view.
            scroll_width = self.driver.execute_script("return document.documentElement.scrollWidth")
            inner = self.driver.execute_script("return window.innerWidth")
            self.assertLessEqual(scroll_width, inner, f"at {width} px")
            source = self.driver.find_element(By.CSS_SELECTOR, "#results td.f-source")
            right = self.driver.execute_script("return arguments[0].getBoundingClientRect().right", source)
            self.assertLessEqual(right, inner)
            self.screenshot(f"page-{width}.png", width)
            # The cell view at the same width: nothing wider than the screen either.
            self.driver.set_window_size(width, 900)
            self.driver.find_element(By.CSS_SELECTOR, "#results a.cell-link").click()
            self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, "#cell-view table.rows")))
            for selector in ("#cell-view a.back", "#cell-view .conflicts", "#cell-view svg.chart"):
                self.assertTrue(self.driver.find_element(By.CSS_SELECTOR, selector).is_displayed(), selector)
            self.assertLessEqual(self.driver.execute_script("return document.documentElement.scrollWidth"), inner)
            self.screenshot(f"cell-{width}.png", width)

    def screenshot(self, name, width):
        """The whole page at `width`, as tall as it is, to OUT_DIR/name."""
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, min(height + 140, 4000))
        path = os.path.join(OUT_DIR, name)
        self.assertTrue(self.driver.save_screenshot(path))
        self.assertGreater(os.path.getsize(path), 10000)

    def test_keyboard_alone_reaches_the_box_and_the_buttons_with_visible_focus(self):
        self.load("treason[2024]")
        # The box has the focus when the page opens; before it the home link and the skip link.
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("id"), "query")
        def back():
            ActionChains(self.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        back()
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("href"), self.base + "/")
        back()
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("id"), "skip")
        ActionChains(self.driver).send_keys(Keys.TAB).perform()
        reached = []
        for _ in range(4):
            ActionChains(self.driver).send_keys(Keys.TAB).perform()
            active = self.driver.switch_to.active_element
            reached.append(active.get_attribute("id"))
            self.assertNotEqual(active.value_of_css_property("outline-style"), "none", reached[-1])
        self.assertEqual(reached, ["query", "run", "copy-command", "download-csv"])
        # Then the results: the table's scrolling region, then the first row's link to its cell.
        ActionChains(self.driver).send_keys(Keys.TAB).perform()
        self.assertEqual(self.driver.switch_to.active_element.get_attribute("aria-label"), "Rows of treason[2024]")
        ActionChains(self.driver).send_keys(Keys.TAB).perform()
        self.assertIn("cell-link", self.driver.switch_to.active_element.get_attribute("class"))
        ActionChains(self.driver).send_keys(Keys.ENTER).perform()
        self.wait(EC.visibility_of_element_located((By.ID, "cell-view")))
        label = self.driver.find_element(By.CSS_SELECTOR, "label[for=query]")
        self.assertTrue(label.text.startswith("Query"))
        svg_label = self.driver.find_element(By.CSS_SELECTOR, "svg.chart").get_attribute("aria-labelledby")
        self.assertEqual(len(svg_label.split()), 2)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
