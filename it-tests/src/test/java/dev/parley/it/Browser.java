package dev.parley.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real browser: Debian's headless Chromium, driven over W3C WebDriver by Debian's chromedriver
 * (built from the same source, so their versions always match). Nothing is downloaded: both paths
 * are given, so Selenium Manager is never asked for a browser or a driver. Each browser has a
 * fresh profile, removed on close.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private static final long WAIT_SECONDS = 20;

    static {
        // Selenium looks for DevTools bindings of this exact Chromium, which these tests do not use.
        Logger.getLogger("org.openqa.selenium.devtools").setLevel(Level.SEVERE);
    }

    final ChromeDriver driver;
    private final Path profile;

    private Browser(int width, int height, String... arguments) throws IOException {
        profile = Files.createTempDirectory("parley-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root, in a container, on a closed network: no sandbox, no GPU, and none of the
        // background connections (updates, sync, QUIC probes) that this machine refuses.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        options.addArguments(arguments);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Skips (or, under CI, fails) the calling test when Chromium or its driver is not installed. */
    static void required() {
        ToolPolicy.require("chromium", Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "apt-get install chromium chromium-driver");
    }

    /** A browser window the size of a laptop's. */
    static Browser open() throws IOException {
        return new Browser(1024, 768);
    }

    /**
     * A browser window that trusts the server key of {@code fingerprint} ({@code SHA256:...}, as
     * Parley prints it), and no other self-signed one: Chromium's SPKI pin list takes the same hash
     * of the same SubjectPublicKeyInfo, in base64 with its padding.
     */
    static Browser trusting(String fingerprint) throws IOException {
        return new Browser(1024, 768, "--ignore-certificate-errors-spki-list=" + fingerprint.substring("SHA256:".length()) + "=");
    }

    /** A browser window the size of a phone's (390 x 844 CSS pixels). */
    static Browser phone() throws IOException {
        return new Browser(390, 844);
    }

    Browser visit(String url) {
        driver.get(url);
        return this;
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    String status() {
        return find("#status").getText();
    }

    /** The transcript's lines as shown, e.g. {@code server: hello}. */
    List<String> transcript() {
        return driver.findElements(By.cssSelector("#transcript li")).stream().map(WebElement::getText).collect(Collectors.toList());
    }

    Object script(String javascript) {
        return ((JavascriptExecutor) driver).executeScript(javascript);
    }

    /** Waits up to 20 s for {@code condition}; fails saying {@code what} with the page's state. */
    void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 20 s for " + what + "; status: " + status() + "; transcript: " + transcript());
            }
            Thread.sleep(20); // polling a page the test cannot be told about
        }
    }

    /** Waits for the transcript to show {@code line}. */
    void awaitLine(String line) throws InterruptedException {
        await("the transcript to show '" + line + "'", () -> transcript().contains(line));
    }

    void awaitStatus(String start) throws InterruptedException {
        await("a status starting '" + start + "'", () -> status().startsWith(start));
    }

    /** What the page's console said, errors (a Content-Security-Policy violation, say) included. */
    List<String> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).collect(Collectors.toList());
    }

    byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
