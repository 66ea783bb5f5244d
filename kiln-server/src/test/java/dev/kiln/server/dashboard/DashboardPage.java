package dev.kiln.server.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard as a test sees it: where to look, what to wait for, and a mark that shows the page never reloaded. */
final class DashboardPage {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Browser browser;
    private final ChromeDriver driver;
    private int timeouts;

    DashboardPage(Browser browser) {
        this.browser = browser;
        this.driver = browser.driver();
    }

    /** Loads the page at {@code url} and marks this load, so {@link #neverReloaded()} can tell a reload apart. */
    void open(String url) {
        driver.get(url);
        js("window.kilnTestMark = 'loaded-once';");
    }

    /** Whether the page still is the one {@link #open} loaded: live updates came without a reload. */
    boolean neverReloaded() {
        return "loaded-once".equals(js("return window.kilnTestMark || null;"));
    }

    /** Goes to a page of the dashboard the way its links do: by the address's fragment, without reloading. */
    void go(String fragment) {
        js("location.hash = arguments[0];", fragment);
    }

    /** Waits until {@code condition} answers something other than null or false; on timeout saves a screenshot. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, WAIT)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(condition);
        } catch (TimeoutException e) {
            browser.screenshot("timeout-" + (++timeouts));
            throw new AssertionError(
                    "Timed out after " + WAIT.toSeconds() + " s waiting for " + what + "; the page showed: "
                            + text(By.tagName("body")),
                    e);
        }
    }

    /** Waits until an element is shown; answers it. */
    WebElement shown(By by) {
        return await(
                by + " to be shown",
                d -> d.findElements(by).stream()
                        .filter(WebElement::isDisplayed)
                        .findFirst()
                        .orElse(null));
    }

    /** Waits until an element's text contains {@code text}. */
    void awaitText(By by, String text) {
        await(
                by + " to read '" + text + "'",
                d -> d.findElements(by).stream().anyMatch(e -> e.getText().contains(text)));
    }

    /** Waits until an element's attribute is at least {@code min} as a number. */
    void awaitAtLeast(By by, String attribute, int min) {
        await(
                by + " to have " + attribute + " >= " + min,
                d -> d.findElements(by).stream().anyMatch(e -> number(e.getDomAttribute(attribute)) >= min));
    }

    /** Waits until an element's attribute equals {@code value}. */
    void awaitAttribute(By by, String attribute, String value) {
        await(
                by + " to have " + attribute + "=" + value,
                d -> d.findElements(by).stream().anyMatch(e -> value.equals(e.getDomAttribute(attribute))));
    }

    /** The text of the first element found, or "" for none; read again if the page replaced it meanwhile. */
    String text(By by) {
        return await("the text of " + by, d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() ? "" : found.get(0).getText();
        });
    }

    /** An attribute of the first element found (null for no element); read again if the page replaced it. */
    String attribute(By by, String name) {
        return await(name + " of " + by, d -> {
                    List<WebElement> found = d.findElements(by);
                    return java.util.Optional.ofNullable(
                            found.isEmpty() ? null : found.get(0).getDomAttribute(name));
                })
                .orElse(null);
    }

    /** An attribute of every element found, in page order. */
    List<String> attributes(By by, String name) {
        return await(
                name + " of every " + by,
                d -> d.findElements(by).stream()
                        .map(e -> e.getDomAttribute(name))
                        .toList());
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    /** Replaces a form field's value. */
    void type(By by, String value) {
        WebElement field = shown(by);
        field.clear();
        field.sendKeys(value);
    }

    /** The fragment of the address, such as {@code #/trainings/ID}. */
    String fragment() {
        return (String) js("return location.hash;");
    }

    /** Every address the page has requested (documents, scripts, styles, fetches). */
    @SuppressWarnings("unchecked")
    List<String> requestedUrls() {
        return (List<String>)
                js("return performance.getEntriesByType('resource').map(e => e.name)" + ".concat([location.href]);");
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Runs a script that answers by calling its last argument, and waits for that answer. */
    Object jsAsync(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Saves a screenshot under {@code target/screenshots}. */
    void screenshot(String name) {
        js("document.activeElement && document.activeElement.blur();"
                + " document.getElementById('toasts').replaceChildren();");
        browser.screenshot(name);
    }

    /** Whether the page fits its width: nothing sticks out sideways (a wide table scrolls inside its card). */
    boolean fitsWidth() {
        return (Boolean) js("return document.documentElement.scrollWidth <= window.innerWidth;");
    }

    private static double number(String s) {
        try {
            return s == null ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
