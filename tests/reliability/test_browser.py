"""Hostile data in a real browser: headless Chromium opens the pages of a store built from
``tests/reliability/fixtures_hostile/`` on a live server, clicks every link of its record pages, and no
script from the data ever runs (no alert) and nothing is blocked by the Content-Security-Policy; the
SPARQL editor (YASGUI) starts under that policy.

Needs the ``browser`` extra (selenium) and Debian's ``chromium`` and ``chromium-driver``; it skips,
saying which is missing, without them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack
from typing import Any

import pytest
from fastapi import FastAPI

from lifecat.endpoint.app import create_app
from tests.utils.hostile import BASE, MARKUP_RECORD, PAYLOADS, WRITTEN_RECORD, build_hostile
from tests.utils.stores import store_settings

pytestmark = [pytest.mark.slow, pytest.mark.browser]
webdriver = pytest.importorskip("selenium.webdriver",
                                reason="selenium is not installed: pip install -e '.[browser]'")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
#: Seconds a page may take to load or an element to appear: the wait ends as soon as it does.
WAIT = 30
RECORD_PAGES = ["/" + r.value.removeprefix(BASE) for r in (WRITTEN_RECORD, MARKUP_RECORD)]
LISTINGS = ["/search?q=hostile", "/search?q=written", "/browse/dataset", "/catalog", "/graph/written/about"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory,
         serve: Callable[[FastAPI], AbstractContextManager[str]]) -> Iterator[str]:
    """The hostile store, built into an embedded store and served on a free loopback port."""
    with ExitStack() as stack:
        settings = build_hostile(store_settings("embedded", tmp_path_factory.mktemp("browser"), stack,
                                                base=BASE))
        yield stack.enter_context(serve(create_app(settings)))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM or not DRIVER:
        pytest.skip("chromium and chromedriver are not installed: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=DRIVER))
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()


def no_alert(driver: Any, where: str) -> None:
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    pytest.fail(f"a script from the data ran on {where}: alert({text!r})")


def console(driver: Any) -> list[str]:
    """What the page logged to the console since the last call."""
    return [entry["message"] for entry in driver.get_log("browser")]


def blocked(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


def open_page(driver: Any, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")


@pytest.mark.parametrize("path", RECORD_PAGES)
def test_clicking_every_link_of_a_record_page_runs_nothing(site: str, browser: Any, path: str) -> None:
    open_page(browser, site + path)
    console(browser)
    count = len(browser.find_elements(By.TAG_NAME, "a"))
    assert count > 10
    for n in range(count):
        link = browser.find_elements(By.TAG_NAME, "a")[n]
        href = link.get_attribute("href")
        browser.execute_script("arguments[0].click()", link)  # links inside closed <details> too
        no_alert(browser, f"{path} after following {href}")
        WebDriverWait(browser, WAIT).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
        if browser.current_url.split("#")[0] != site + path:
            browser.back()
            WebDriverWait(browser, WAIT).until(lambda d: d.current_url.split("#")[0] == site + path)
        no_alert(browser, path)
    assert not blocked(console(browser))
    text = browser.find_element(By.TAG_NAME, "body").text
    assert any(payload in text for payload in PAYLOADS)  # shown as text, not run


@pytest.mark.parametrize("path", LISTINGS)
def test_listings_run_nothing(site: str, browser: Any, path: str) -> None:
    open_page(browser, site + path)
    no_alert(browser, path)
    assert not blocked(console(browser))
    assert browser.find_elements(By.CSS_SELECTOR, "main a")


def test_the_sparql_editor_starts_under_the_policy(site: str, browser: Any) -> None:
    open_page(browser, site + "/sparql")
    editor = WebDriverWait(browser, WAIT).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#yasgui .CodeMirror")))
    assert editor.is_displayed()
    tabs = browser.find_elements(By.CSS_SELECTOR, "#yasgui .tabPanel, #yasgui [role=tab]")
    assert tabs, "YASGUI made no tab for the examples"
    messages = console(browser)
    assert not blocked(messages), messages
    assert not [m for m in messages if "/static/" in m], messages
