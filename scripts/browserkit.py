"""What the real-browser tests share: headless Chromium driven by selenium, and a built site served as plain files."""
import functools
import http.server
import shutil
import threading

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def browser():
    """Headless Chromium (Debian's `chromium` and `chromedriver`), 1200×900."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-extensions", "--window-size=1200,900"]:
        options.add_argument(flag)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


class FileServer:
    """A built site served as plain files (as any web server would, uncompressed), on 127.0.0.1."""

    def __init__(self, folder):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=folder))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
