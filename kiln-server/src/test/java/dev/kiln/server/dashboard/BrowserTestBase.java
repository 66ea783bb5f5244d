package dev.kiln.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every browser test class shares: one headless browser per class, a fresh page per test, and at the end of
 * each test no errors in the browser console, checked while the test's server still runs.
 */
abstract class BrowserTestBase {
    static Browser browser;

    DashboardPage page;

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** Skips (or fails, when required) each test without a browser; starts one browser for all of them. */
    @BeforeEach
    void newPage() {
        if (browser == null) {
            browser = Browser.start();
        }
        page = new DashboardPage(browser);
        browser.consoleErrors();
    }

    /** Checks the console while the server still runs, then leaves the page before stopping the server. */
    @AfterEach
    void noScriptErrorsThenStop() {
        if (browser == null) {
            return;
        }
        try {
            assertThat(browser.consoleErrors())
                    .as("errors in the browser console")
                    .isEmpty();
        } finally {
            browser.driver().get("about:blank");
            stopServer();
        }
    }

    /** Stops the test's server, if it started one. */
    abstract void stopServer();
}
