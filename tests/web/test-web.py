#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The officers' dashboard in a real headless Chromium.

Starts the real sotay-server on a free loopback port, fills it through
real kiosks (tests/web/web-seed writes a day's events into each kiosk's
database; the real `sotay enroll` and `sotay sync` send them), then drives
Chromium with selenium as a province officer and a commune officer would:
login, a wrong password, the overview with its SVG chart, every page, the
language switch, CSV downloads with their BOM, a hamlet named <script>
shown as text, another commune's page and CSV refused (403), a form
without its CSRF token refused, logout, and the lockout after five wrong
passwords. A screenshot of each page goes to $BUILD/test-artefacts/web/.
Run from the top of the tree with BUILD and TEST_TMP set (tests/run.sh).
"""
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

BUILD = os.environ.get("BUILD", "build")
TMP = os.environ.get("TEST_TMP") or subprocess.check_output(["mktemp", "-d"]).decode().strip()
ART = os.path.join(BUILD, "test-artefacts",
                   "web-pg" if os.environ.get("SOTAY_TEST_WEB_DB") else "web")
SERVER = os.path.join(BUILD, "sotay-server")
SOTAY = os.path.join(BUILD, "sotay")
SEED = os.path.join(BUILD, "tests", "web-seed")
# An SQLite file, or the PostgreSQL database tests/web/test-web-pg.sh gives.
DB = os.environ.get("SOTAY_TEST_WEB_DB") or os.path.join(TMP, "server.db")
PASSWORD = "mật khẩu tỉnh 2026"
SCRIPT_HAMLET = "<script>alert(1)</script>"

passed = 0
failed = 0


def ok(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name)
        if detail:
            print("     " + str(detail)[:600])


def chromium_paths():
    chrome = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return None, None
    return chrome, driver


def run(args, env=None, stdin=None):
    p = subprocess.run(args, input=stdin, capture_output=True, env=env, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def server_cli(*args, stdin=None):
    return run([SERVER, "--db", DB] + list(args), stdin=stdin)


def kiosk_add(commune, hamlet, name):
    rc, out, err = server_cli("kiosk", "add", "--commune", commune, "--hamlet", hamlet,
                              "--name", name, "--province", "Quảng Ngãi")
    assert rc == 0, err
    lines = dict(l.split(": ", 1) for l in out.strip().splitlines())
    return lines["kiosk"], lines["token"]


def kiosk_env(extra=None):
    env = dict(os.environ)
    conf = os.path.join(TMP, "kiosk.conf")
    open(conf, "w").close()
    env.update({"SOTAY_CONFIG": conf, "SOTAY_CONTENT": "tests/data/checklists",
                "HOME": os.path.join(TMP, "home"), "LANG": "C.UTF-8"})
    env.pop("SOTAY_CLOCK_OFFSET_MS", None)
    if extra:
        env.update(extra)
    return env


def real_kiosk(name, url, token, hamlet, sessions, clock_ms=0):
    """A kiosk's day: events in its own store, then enrol and sync for real."""
    kdb = os.path.join(TMP, name + ".db")
    env = kiosk_env({"SOTAY_CLOCK_OFFSET_MS": str(clock_ms)} if clock_ms else None)
    rc, _, err = run([SEED, kdb, hamlet, str(sessions)], env=env)
    assert rc == 0, err
    rc, out, err = run([SOTAY, "--db", kdb, "enroll", url, token], env=env)
    assert rc == 0, "enroll: " + out + err
    rc, out, err = run([SOTAY, "--db", kdb, "sync"], env=env)
    assert rc == 0, "sync: " + out + err


def refused(url, kiosk, n):
    """n conflicts of a kiosk: n events sent, then the same ids with other content."""
    import json
    import uuid
    ids = [str(uuid.uuid4()) for _ in range(n)]
    for content in ("first", "other"):
        events = [{"id": ids[i], "seq": i + 1, "type": "test.note", "at": int(time.time() * 1000),
                   "payload": {"content": content}} for i in range(n)]
        req = urllib.request.Request(url + "/v1/events", json.dumps(
            {"kiosk": kiosk[0], "events": events}).encode(), {
            "Authorization": "Bearer " + kiosk[1], "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            assert r.status == 200


def start_server():
    log = open(os.path.join(TMP, "server.log"), "w")
    p = subprocess.Popen([SERVER, "--db", DB, "serve", "--listen", "127.0.0.1:0",
                          "--threads", "4"], stdout=subprocess.PIPE, stderr=log)
    line = p.stdout.readline().decode()   # the readiness signal
    if not line.startswith("listening on "):
        p.kill()
        raise SystemExit("sotay-server did not start: " + line)
    return p, "http://" + line.split()[2]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def http(url, cookie=None, data=None):
    """(status, headers, body bytes) without following redirects."""
    req = urllib.request.Request(url, data=data)
    if cookie:
        req.add_header("Cookie", cookie)
    if data is not None:
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def http_or_none(url, cookie=None, data=None):
    """http(), or status 0 when the server does not answer at all."""
    try:
        return http(url, cookie, data)
    except (urllib.error.URLError, ConnectionError) as e:
        return 0, {}, str(e).encode()


def main():
    chrome, driver_path = chromium_paths()
    if chrome is None or driver_path is None:
        print("SKIP: Chromium, chromedriver or python3-selenium is not installed "
              "(make deps installs chromium, chromium-driver and python3-selenium)")
        return 0
    from selenium import webdriver
    from selenium.common.exceptions import UnexpectedAlertPresentException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    os.makedirs(ART, exist_ok=True)
    rc, _, err = server_cli("content", "publish", "tests/data/checklists")
    assert rc == 0, err
    # Typed on a keyboard that decomposes ("o" + hook + dot): the same commune,
    # hamlet and kiosk as the composed names its officer and the checks use.
    k1 = kiosk_add(*(unicodedata.normalize("NFD", x) for x in
                     ("Tịnh Sơn", "Trường Thọ", "NVH Trường Thọ")))
    k2 = kiosk_add("Bình Sơn", "An Phú", "NVH An Phú")
    kiosk_add("Bình Sơn", "Phú Lộc", "NVH Phú Lộc")       # never syncs
    k4 = kiosk_add("Bình Châu", "Châu Thuận", "NVH Châu Thuận")
    for login, role, commune in (("tinh", "province", None), ("tinhson", "commune", "Tịnh Sơn"),
                                 ("khoa", "commune", "Bình Sơn"),
                                 ("binhminh", "commune", "Bình Minh")):   # no kiosk yet
        args = ["user", "add", login, "--role", role, "--password-stdin"]
        if commune:
            args += ["--commune", commune]
        rc, _, err = server_cli(*args, stdin=(PASSWORD + "\n").encode())
        assert rc == 0, err

    srv, url = start_server()
    try:
        real_kiosk("k1", url, k1[1], SCRIPT_HAMLET, 6)
        # A kiosk whose clock is 10 minutes behind the server's.
        real_kiosk("k2", url, k2[1], "An Phú", 3, clock_ms=-600000)
        # A kiosk whose clock is two days behind: its sessions of today are
        # dated two days ago, and the dashboard puts them back on today.
        real_kiosk("k4", url, k4[1], "Châu Thuận", 2, clock_ms=-2 * 86400 * 1000)
        # One conflict of a kiosk of Tịnh Sơn, then 1000 newer of Bình Châu's.
        refused(url, kiosk_add("Tịnh Sơn", "Thọ Lộc", "NVH Thọ Lộc"), 1)
        time.sleep(0.05)
        refused(url, kiosk_add("Bình Châu", "Châu Me", "NVH Châu Me"), 1000)
        browse(url, webdriver, Service, By, UnexpectedAlertPresentException,
               chrome, driver_path)
    finally:
        srv.terminate()
        code = srv.wait(timeout=60)
        log = open(os.path.join(TMP, "server.log"), errors="replace").read()
        ok("the server stops cleanly (exit 0, no sanitizer report)",
           code == 0 and "Sanitizer" not in log, "exit %s: %s" % (code, log[-1500:]))
        ok("its log says where it listened, with a priority like every line",
           re.search(r"^<5>\S+ sotay-server: listening on 127\.0\.0\.1:\d+$", log, re.M),
           log[:600])
        bare = [l for l in log.splitlines() if l and not re.match(r"<[3-7]>", l)]
        ok("every line of its log has a priority", not bare, bare[:5])
        ok("and a session lost is one of them", DB.startswith("postgresql:") or
           re.search(r"^<3>.*sotay-server: session: .*disk is full", log, re.M), log[-600:])


def browse(url, webdriver, Service, By, UnexpectedAlert, chrome, driver_path):
    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1280,1100", "--lang=vi", "--disable-extensions",
              "--no-first-run", "--user-data-dir=" + os.path.join(TMP, "chromium")):
        opts.add_argument(a)
    d = webdriver.Chrome(service=Service(driver_path), options=opts)
    d.set_page_load_timeout(60)
    d.implicitly_wait(10)   # an element still coming under load is waited for
    try:
        return scenario(d, url, By, UnexpectedAlert)
    finally:
        d.quit()


def shot(d, name):
    d.save_screenshot(os.path.join(ART, name + ".png"))


def click(d, element):
    """Clicks and waits for the next page: a mark left on the old page's
    window is gone once a new document has replaced it. (Waiting for the
    old <html> to go stale races: chromedriver may answer that the node
    "does not belong to the document" instead of "stale".)"""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def new_page(drv):
        try:
            return drv.execute_script(
                "return window.__sotayOld !== true && document.readyState === 'complete'")
        except WebDriverException:
            return False     # between two documents
    d.execute_script("window.__sotayOld = true")
    element.click()
    WebDriverWait(d, 60).until(new_page)


def login(d, url, By, who, password):
    d.get(url + "/login")
    d.find_element(By.ID, "login").send_keys(who)
    d.find_element(By.ID, "password").send_keys(password)
    click(d, d.find_element(By.ID, "submit"))


def absent(d, By, id):
    """No element with this id, asked without waiting for one to come."""
    d.implicitly_wait(0)
    try:
        return not d.find_elements(By.ID, id)
    finally:
        d.implicitly_wait(10)


def text(d, By, css):
    return d.find_element(By.CSS_SELECTOR, css).text


def scenario(d, url, By, UnexpectedAlert):
    d.get(url + "/overview")
    ok("the first page is the login form", d.current_url.endswith("/login")
       and d.find_elements(By.CSS_SELECTOR, "input[type=password]"), d.current_url)
    shot(d, "01-login")

    login(d, url, By, "tinh", "not the password")
    ok("a wrong password is refused", "Sai tên đăng nhập hoặc mật khẩu" in
       text(d, By, "#login-error") and d.current_url.endswith("/login"))
    shot(d, "02-wrong-password")

    login(d, url, By, "tinh", PASSWORD)
    ok("login leads to the overview", d.current_url.endswith("/overview"), d.current_url)
    cookie = d.get_cookie("sotay_session")
    ok("the session cookie is HttpOnly and SameSite=Strict",
       cookie and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", cookie)
    ok("the overview has SVG charts", len(d.find_elements(By.CSS_SELECTOR, "figure.chart svg rect")) > 0)
    ok("the overview counts 11 sessions started", text(d, By, "#started b") == "11",
       text(d, By, "#started"))
    ok("and 8 completed, 73 %", text(d, By, "#completed b") == "8" and text(d, By, "#rate b") == "73 %",
       text(d, By, "#rate"))
    ok("people helped this week", text(d, By, "#people-week b") == "11", text(d, By, "#people-week"))
    ok("the five skills are listed", "Dịch vụ công trực tuyến" in text(d, By, "#skills")
       and "An toàn trên mạng" in text(d, By, "#skills"))
    shot(d, "03-overview")
    today = time.strftime("%Y-%m-%d")
    d.get(url + "/overview?from=%s&to=%s" % (today, today))
    ok("a day is the kiosk's clock corrected by its offset: today has all 11",
       text(d, By, "#started b") == "11", text(d, By, "#started"))

    # Over more than a year a bar is a month, drawn with its year.
    year = int(today[:4])
    d.get(url + "/overview?from=%d-06-01&to=%d-12-31" % (year - 2, year))
    bars = d.find_elements(By.CSS_SELECTOR, "figure.chart:first-of-type svg g title")
    ok("a range of years is charted by month", "theo tháng" in text(d, By, "figure.chart figcaption")
       and len(bars) == 31 and bars[0].get_attribute("textContent") == "%d-06: 0 / 0" % (year - 2)
       and ("%s: 11 / 8" % today[:7]) in [b.get_attribute("textContent") for b in bars],
       [b.get_attribute("textContent") for b in bars][:3])
    d.get(url + "/overview?from=%d-01-05&to=%d-12-31" % (year, year))
    right = d.execute_script(
        "return Math.max(...Array.from(document.querySelectorAll('figure.chart svg')[0]"
        ".querySelectorAll('text')).map(t => t.getBBox().x + t.getBBox().width))")
    ok("no date under the chart is cut by its right edge", right <= 640, right)

    d.get(url + "/communes")
    try:
        hamlets = text(d, By, "#hamlets")
        alert = False
    except UnexpectedAlert:
        hamlets, alert = "", True
    ok("a hamlet named <script> shows as text", SCRIPT_HAMLET in hamlets and not alert, hamlets)
    ok("both communes are listed for the province", "Tịnh Sơn" in text(d, By, "#communes")
       and "Bình Sơn" in text(d, By, "#communes"))
    shot(d, "04-communes")
    for path, name in (("/checklists", "05-checklists"), ("/blocked", "06-blocked"),
                       ("/conflicts", "08-conflicts"), ("/accounts", "09-accounts")):
        d.get(url + path)
        ok(path + " opens", d.find_elements(By.TAG_NAME, "h1") and "Không được phép" not in d.page_source)
        shot(d, name)
    d.get(url + "/blocked")
    ok("the blocked step and its reason are listed by their words, not their ids",
       "Đăng ký tài khoản thử Nhận mã OTP Không nhận được OTP" in text(d, By, "#blocked tbody tr")
       and "get-otp" not in d.page_source, text(d, By, "#blocked"))
    d.get(url + "/checklists")
    ok("a checklist is listed by its title", "Đăng ký tài khoản thử" in text(d, By, "#checklists")
       and "test-basic" not in text(d, By, "#checklists"), text(d, By, "#checklists"))

    d.get(url + "/kiosks")
    rows = {r.find_elements(By.TAG_NAME, "td")[0].text: r.text
            for r in d.find_elements(By.CSS_SELECTOR, "#kiosks tbody tr")}
    ok("kiosks: the one added minutes ago that never synced says so, and is not silent",
       "chưa đồng bộ lần nào" in rows.get("NVH Phú Lộc", "")
       and "im lặng" not in rows.get("NVH Phú Lộc", ""), rows)
    ok("kiosks: the summary counts it as never synced, none silent",
       "1 chưa đồng bộ lần nào" in text(d, By, "#kiosk-summary")
       and "0 im lặng quá 7 ngày" in text(d, By, "#kiosk-summary"), text(d, By, "#kiosk-summary"))
    ok("kiosks: a kiosk added in decomposed Unicode shows its names composed",
       "NVH Trường Thọ" in rows and "Tịnh Sơn" in rows["NVH Trường Thọ"]
       and "Trường Thọ" in rows["NVH Trường Thọ"], rows)
    ok("kiosks: the one 10 minutes behind is marked",
       "đồng hồ lệch quá 5 phút" in rows.get("NVH An Phú", "") and "chậm 10 phút" in rows.get("NVH An Phú", ""),
       rows.get("NVH An Phú"))
    ok("kiosks: program version and events waiting come from the upload",
       "0.1.0" in rows.get("NVH Trường Thọ", "") and "đồng hồ lệch" not in rows.get("NVH Trường Thọ", ""),
       rows.get("NVH Trường Thọ"))
    cells = [r.find_elements(By.TAG_NAME, "td") for r in d.find_elements(By.CSS_SELECTOR, "#kiosks tbody tr")]
    waiting = {c[0].text: c[4].text for c in cells if c}
    ok("kiosks: a kiosk that sent all it had has nothing waiting",
       waiting.get("NVH Trường Thọ") == "0" and waiting.get("NVH An Phú") == "0", waiting)
    ok("kiosks: two days behind", "chậm 48 giờ" in rows.get("NVH Châu Thuận", ""), rows.get("NVH Châu Thuận"))
    shot(d, "07-kiosks")

    # CSV as the browser would download it, with the browser's session.
    sess = "sotay_session=" + d.get_cookie("sotay_session")["value"]
    st, hd, body = http(url + "/hamlets.csv", sess)
    ok("the CSV starts with a BOM and is text/csv", st == 200 and body.startswith(b"\xef\xbb\xbf")
       and hd.get("Content-Type", "").startswith("text/csv"), (st, body[:40]))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    ok("the CSV round-trips: header and hamlets", rows[0][:2] == ["Xã", "Thôn"] and
       ["Tịnh Sơn", SCRIPT_HAMLET, "6", "6", "6", "4", "2"] in rows, rows)
    st, _, body = http(url + "/communes.csv", sess)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    ok("the communes CSV has every commune", {r[1] for r in rows[1:]} == {"Tịnh Sơn", "Bình Sơn", "Bình Châu"},
       rows)

    # A download's name says what it holds: its days, and its commune if one.
    st, hd, _ = http(url + "/hamlets.csv?from=2026-01-05&to=" + today, sess)
    ok("the CSV's file name carries its range",
       'filename="sotay-hamlets-2026-01-05-%s.csv"' % today in hd.get("Content-Disposition", ""),
       hd.get("Content-Disposition"))

    # A date range whose last day has no day after it within the dates the
    # server knows (2200-12-31) is refused, and the server goes on serving.
    st, _, body = http_or_none(url + "/overview?from=2026-01-01&to=2200-12-31", sess)
    ok("the last day there is, as \"to\", is refused with what to type (400)",
       st == 400 and "2200-12-30" in body.decode(errors="replace"), (st, body[-300:]))
    st, _, _ = http_or_none(url + "/overview", sess)
    ok("and the server still answers", st == 200, st)

    # The language switch goes back to a page of this site only: a browser
    # drops a tab in a URL, so "/<tab>/host" would be another site.
    for nxt in ("/%09/evil.example", "/%09%5Cevil.example", "/%0a/evil.example", "/%5C/evil.example"):
        st, hd, _ = http(url + "/lang?to=vi&next=" + nxt, sess)
        ok("the language switch does not lead away for next=" + nxt,
           st == 303 and hd.get("Location") == "/overview", (st, hd.get("Location")))
    from selenium.common.exceptions import WebDriverException
    try:
        d.get(url + "/lang?to=vi&next=/%09/evil.example/")
        where = d.current_url
    except WebDriverException as e:     # evil.example does not resolve
        where = str(e).splitlines()[0]
    ok("nor does it in the browser", where.startswith(url + "/"), where)

    # The other language shows the same page, range and commune.
    d.get(url + "/communes?from=2026-01-05&to=%s&commune=%s" % (today, urllib.parse.quote("Bình Sơn")))
    click(d, d.find_element(By.CSS_SELECTOR, "a[lang=en]"))
    ok("the language switch keeps the page, its range and its commune",
       text(d, By, "h1") == "By commune and hamlet"
       and d.find_element(By.NAME, "from").get_attribute("value") == "2026-01-05"
       and "Tịnh Sơn" not in text(d, By, "#communes") and "Bình Sơn" in text(d, By, "#communes"),
       d.current_url)
    click(d, d.find_element(By.CSS_SELECTOR, "a[lang=vi]"))
    ok("and back", text(d, By, "h1") == "Theo xã và thôn"
       and d.find_element(By.NAME, "from").get_attribute("value") == "2026-01-05", d.current_url)

    # A form whose CSRF token is not this session's is refused.
    st, _, body = http(url + "/accounts/add", sess, urllib.parse.urlencode(
        {"login": "mallory", "password": "x" * 12, "role": "province"}).encode())
    ok("a form without its CSRF token is refused (403)", st == 403, st)
    d.execute_script("document.querySelector('form[action=\"/logout\"] input[name=csrf]').value = 'forged'")
    click(d, d.find_element(By.ID, "logout"))
    ok("a forged CSRF token in the browser is refused", "Không được phép" in d.page_source)
    shot(d, "10-csrf-refused")
    d.get(url + "/overview")
    ok("and the session is still there", d.current_url.endswith("/overview"))

    # The accounts page: add a commune officer through the form.
    d.get(url + "/accounts")
    form = d.find_element(By.ID, "add-user")
    form.find_element(By.NAME, "login").send_keys("phuloc")
    form.find_element(By.NAME, "password").send_keys("mật khẩu xã Phú Lộc")
    form.find_element(By.NAME, "commune").send_keys("Bình Sơn")
    click(d, form.find_element(By.CSS_SELECTOR, "button"))
    ok("a province officer adds an account", "phuloc" in text(d, By, "#accounts")
       and "Đã thêm tài khoản phuloc" in text(d, By, "#notice"))
    # "tinh" is of every province: the commune's account is of its kiosks'
    # province, or it would see every province's Bình Sơn.
    row = [r for r in d.find_elements(By.CSS_SELECTOR, "#accounts tbody tr")
           if r.find_elements(By.TAG_NAME, "td")[0].text == "phuloc"][0]
    ok("a commune account added without a province is of its kiosks' province",
       row.find_elements(By.TAG_NAME, "td")[2].text == "Quảng Ngãi", row.text)

    def add_account(login, commune, role="commune", province=""):
        form = d.find_element(By.ID, "add-user")
        for name, value in (("login", login), ("password", "mật khẩu xã mới 2026"),
                            ("commune", commune), ("province", province)):
            form.find_element(By.NAME, name).clear()
            form.find_element(By.NAME, name).send_keys(value)
        form.find_element(By.CSS_SELECTOR, "select[name=role] option[value=%s]" % role).click()
        click(d, form.find_element(By.CSS_SELECTOR, "button"))
    ok("the commune field offers the communes as the kiosks spell them",
       {o.get_attribute("value") for o in d.find_elements(By.CSS_SELECTOR, "#communes option")}
       == {"Tịnh Sơn", "Bình Sơn", "Bình Châu"})
    # What is refused is said in red, not in the green of what was done.
    add_account("tinh", "Bình Sơn")
    ok("a login taken is refused in red, not as done",
       "Đã có tài khoản" in text(d, By, "#warning") and absent(d, By, "notice"),
       d.find_element(By.TAG_NAME, "main").text[:300])
    # A commune without its diacritics would show its officer nothing, for good.
    add_account("tinhson2", "Tinh Son")
    ok("a commune no kiosk has is refused, saying how to spell it",
       "Không có trạm nào ở xã \"Tinh Son\"" in text(d, By, "#warning")
       and "tinhson2" not in text(d, By, "#accounts"), d.find_element(By.TAG_NAME, "main").text[:300])
    form = d.find_element(By.ID, "add-user")
    ok("the refused form comes back as typed, but its password",
       [form.find_element(By.NAME, n).get_attribute("value") for n in ("login", "commune", "password")]
       == ["tinhson2", "Tinh Son", ""], form.get_attribute("innerHTML")[:300])
    # So would a province: "tinh" is an officer of every province, and types one.
    add_account("tinhqn", "", "province", "Quang Ngai")
    ok("a province no kiosk has is refused", "Không có trạm nào ở tỉnh \"Quang Ngai\""
       in text(d, By, "#warning") and "tinhqn" not in text(d, By, "#accounts"),
       d.find_element(By.TAG_NAME, "main").text[:300])
    ok("and comes back with its level", d.find_element(
        By.CSS_SELECTOR, "#add-user select[name=role]").get_attribute("value") == "province")
    ok("the province field offers the provinces as the kiosks spell them",
       [o.get_attribute("value") for o in d.find_elements(By.CSS_SELECTOR, "#provinces option")]
       == ["Quảng Ngãi"])
    add_account("tinhson2", unicodedata.normalize("NFD", "Tịnh Sơn"))
    ok("the same commune typed decomposed is that commune",
       "Đã thêm tài khoản tinhson2" in text(d, By, "#notice")
       and absent(d, By, "warning"), d.find_element(By.TAG_NAME, "main").text[:300])

    def account_row(login):
        return [r for r in d.find_elements(By.CSS_SELECTOR, "#accounts tbody tr")
                if r.find_elements(By.TAG_NAME, "td")[0].text == login][0]
    click(d, account_row("phuloc").find_element(
        By.CSS_SELECTOR, "form[action='/accounts/disable'] button"))
    ok("and disables it", "Đã tắt tài khoản phuloc" in text(d, By, "#notice")
       and "đã tắt" in account_row("phuloc").text, account_row("phuloc").text)
    click(d, account_row("phuloc").find_element(
        By.CSS_SELECTOR, "form[action='/accounts/enable'] button"))
    ok("and enables it again", "Đã bật lại tài khoản phuloc" in text(d, By, "#notice")
       and "hoạt động" in account_row("phuloc").text, account_row("phuloc").text)

    click(d, d.find_element(By.CSS_SELECTOR, "a[lang=en]"))
    ok("the English switch", text(d, By, "h1") == "Accounts" and "Log out" in d.page_source,
       text(d, By, "h1"))
    add_account("tinh", "Bình Sơn")
    ok("a refusal is in the page's language", 'There is already an account "tinh"'
       in text(d, By, "#warning"), text(d, By, "#warning"))
    st, _, body = http(url + "/accounts/add", "sotay_lang=en; sotay_session=" +
                       d.get_cookie("sotay_session")["value"], urllib.parse.urlencode(
        {"csrf": d.find_element(By.CSS_SELECTOR, "#add-user input[name=csrf]").get_attribute("value"),
         "login": "ngan", "password": "ngắn", "role": "province"}).encode())
    ok("a short password too", st == 400 and b"A password is at least 10 characters" in body,
       (st, body[-400:]))
    d.get(url + "/blocked")
    ok("and in English", "Register a test account Get the OTP code No OTP arrived"
       in text(d, By, "#blocked tbody tr"), text(d, By, "#blocked"))
    d.get(url + "/overview")
    shot(d, "11-overview-en")
    d.set_window_size(390, 844)        # a phone
    d.get(url + "/communes")
    ok("on a phone the page is one column, no wider than the screen",
       d.execute_script("return document.documentElement.scrollWidth") <= 390,
       d.execute_script("return document.documentElement.scrollWidth"))
    shot(d, "11-communes-phone")
    d.set_window_size(1280, 1100)
    click(d, d.find_element(By.CSS_SELECTOR, "a[lang=vi]"))

    click(d, d.find_element(By.ID, "logout"))
    ok("logout returns to the login form", d.current_url.endswith("/login"))
    d.get(url + "/overview")
    ok("and the old session no longer opens pages", d.current_url.endswith("/login"))
    st, _, _ = http(url + "/overview", sess)
    ok("not even with the old cookie", st == 303)

    # A page asked for without a session (a bookmark, a session expired) is
    # the one shown after logging in, with its range and commune.
    d.get(url + "/blocked?from=2026-01-05&to=%s&commune=%s" % (today, urllib.parse.quote("Bình Sơn")))
    ok("a page asked for without a session asks to log in first", "/login?next=" in d.current_url,
       d.current_url)
    d.find_element(By.ID, "login").send_keys("tinh")
    d.find_element(By.ID, "password").send_keys(PASSWORD)
    click(d, d.find_element(By.ID, "submit"))
    ok("and is the page shown after, with its range and commune",
       urllib.parse.urlsplit(d.current_url).path == "/blocked"
       and d.find_element(By.NAME, "from").get_attribute("value") == "2026-01-05"
       and "Bình Sơn" in text(d, By, "select[name=commune] option[selected]"), d.current_url)
    st, hd, body = http(url + "/login?next=/%09/evil.example")
    ok("the login form leads on to this site only", b'name="next"' not in body, body[-300:])
    click(d, d.find_element(By.ID, "logout"))

    # A commune officer sees only its commune.
    login(d, url, By, "tinhson", PASSWORD)
    ok("the commune officer's overview counts its 6 sessions", text(d, By, "#started b") == "6",
       text(d, By, "#started"))
    d.get(url + "/communes")
    ok("the commune officer sees only its commune", "Bình Sơn" not in d.page_source
       and "Tịnh Sơn" in text(d, By, "#communes"))
    shot(d, "12-commune-officer")
    d.get(url + "/kiosks")
    ok("and only its kiosks", "NVH An Phú" not in d.page_source and "NVH Trường Thọ" in d.page_source)
    # Its kiosk's conflict is older than the 1000 the page reads: the page
    # must not say there is none.
    d.get(url + "/conflicts")
    ok("the conflicts page does not say \"none\" past what it reads",
       absent(d, By, "no-conflicts")
       and "chỉ xét 1.000 xung đột mới nhất" in text(d, By, "#conflicts-cut"),
       d.find_element(By.TAG_NAME, "main").text[:400])
    d.get(url + "/communes?commune=" + urllib.parse.quote("Bình Sơn"))
    ok("another commune's page is forbidden in the browser", "Không được phép" in d.page_source)
    shot(d, "13-forbidden")
    sess = "sotay_session=" + d.get_cookie("sotay_session")["value"]
    for path in ("/communes?commune=", "/hamlets.csv?commune=", "/blocked.csv?commune="):
        st, _, body = http(url + path + urllib.parse.quote("Bình Sơn"), sess)
        ok("403 for " + path + "Bình Sơn", st == 403 and b"B\xc3\xacnh S\xc6\xa1n" not in body, st)
    # A range without a session says so in its tables, not with blank ones.
    none = "Chưa có số liệu nào trong khoảng ngày này."
    d.get(url + "/communes?from=2025-01-01&to=2025-01-31")
    ok("a range without sessions says so in both tables",
       none in text(d, By, "#communes") and none in text(d, By, "#hamlets"), text(d, By, "#communes"))
    d.get(url + "/blocked?from=2025-01-01&to=2025-01-31")
    ok("and among the blocked steps", none in text(d, By, "#blocked"), text(d, By, "#blocked"))
    st, hd, body = http(url + "/checklists.csv", sess)
    ok("the commune officer's CSV is named with its commune",
       "filename*=UTF-8''sotay-checklists-%s-" % urllib.parse.quote("Tịnh Sơn")
       in hd.get("Content-Disposition", ""), hd.get("Content-Disposition"))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    ok("the commune officer's CSV holds only its sessions", rows[1][0] == "test-basic" and rows[1][2] == "6", rows)
    st, _, _ = http(url + "/accounts", sess)
    ok("the accounts page is for province officers only", st == 403, st)

    # Five wrong passwords lock the account, even against the right one.
    for i in range(5):
        login(d, url, By, "khoa", "wrong password %d" % i)
    errors = d.find_elements(By.ID, "login-error")
    ok("five wrong passwords lock the account", errors and "tạm khoá" in errors[0].text,
       errors and errors[0].text + " " + server_cli("audit")[1][-600:])
    shot(d, "14-locked")
    login(d, url, By, "khoa", PASSWORD)
    errors = d.find_elements(By.ID, "login-error")
    ok("and the right password waits", errors and "tạm khoá" in errors[0].text, d.current_url)
    rc, out, err = server_cli("user", "enable", "khoa")
    ok("user enable ends the lockout", rc == 0 and "đã bật lại tài khoản khoa" in out, out + err)
    login(d, url, By, "khoa", PASSWORD)
    ok("and the officer logs in at once", d.current_url.endswith("/overview"), d.current_url)
    click(d, d.find_element(By.ID, "logout"))

    # A commune whose kiosk is not added yet: its officer reads why it is empty.
    # (With the space a phone's keyboard adds after a word it completed.)
    login(d, url, By, "binhminh ", PASSWORD)
    ok("a space after the login is not a wrong login", d.current_url.endswith("/overview"),
       d.find_elements(By.ID, "login-error") and text(d, By, "#login-error"))
    d.get(url + "/kiosks")
    ok("a commune without a kiosk yet says so on the kiosks page",
       "Xã chưa có trạm nào." in text(d, By, "#kiosks"), text(d, By, "#kiosks"))
    d.get(url + "/checklists")
    ok("and on its reports", "Chưa có số liệu nào" in text(d, By, "#checklists"),
       text(d, By, "#checklists"))
    click(d, d.find_element(By.ID, "logout"))

    # Thirty wrong passwords sent side by side get five tries, not more: four
    # say "wrong", the fifth locks the account, as one after another do.
    st, hd, _ = http(url + "/login")
    token = re.search(r"sotay_login=([^;]+)", hd.get("Set-Cookie", "")).group(1)

    def guess(i):
        return http(url + "/login", "sotay_login=" + token, urllib.parse.urlencode(
            {"csrf": token, "login": "phuloc", "password": "đoán sai số %d" % i}).encode())[0]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(30) as pool:
        answers = list(pool.map(guess, range(30)))
    ok("30 wrong passwords at once: 5 are checked, the rest find the account locked",
       answers.count(401) == 4 and answers.count(403) == 26, sorted(answers))

    rc, out, _ = server_cli("audit")
    for what in ("\ttinh\tlogin\t", "\ttinh\tlogin.failed\t", "\ttinh\tdownload\thamlets.csv",
                 "\ttinhson\tforbidden\t", "\tkhoa\tlogin.locked\t", "\ttinh\tuser.add\tphuloc",
                 "\ttinh\tuser.disable\tphuloc", "\ttinh\tuser.enable\tphuloc",
                 "\ttinh\tlogout\t", "\tcli\tuser.enable\tkhoa"):
        ok("the audit log has " + what.strip().replace("\t", " "), what in out, out[-800:])

    # A web session the database cannot keep (a full disk) is a log line
    # with its priority, as every other (checked when the server stops).
    if not DB.startswith("postgresql:"):
        import sqlite3
        con = sqlite3.connect(DB, timeout=30)
        con.execute("CREATE TRIGGER no_session BEFORE INSERT ON web_sessions "
                    "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        con.commit()
        st, hd, _ = http(url + "/login")
        token = re.search(r"sotay_login=([^;]+)", hd.get("Set-Cookie", "")).group(1)
        st, _, _ = http(url + "/login", "sotay_login=" + token, urllib.parse.urlencode(
            {"csrf": token, "login": "tinh", "password": PASSWORD}).encode())
        con.execute("DROP TRIGGER no_session")
        con.commit()
        con.close()
        ok("a session the database cannot keep is no login", st >= 500, st)

    return 0


if __name__ == "__main__":
    main()
    print("screenshots in " + ART)
    print("web: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)
