package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * A person with only a browser (Debian's Chromium, headless, through Selenium) joins the real
 * jar's conversations at its web page: converses and leaves with the keyboard alone, queues with
 * a TCP client for a console operator, sees a hostile message as text, is told when the server
 * stops, and cannot be made to join from another site's page. Under CI a missing Chromium fails.
 */
@Timeout(180)
class BrowserIT {

    /** Where the screenshot the README shows is written, in the test output. */
    static final Path SCREENSHOT = Path.of("target", "web.png");

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void needsChromium() {
        Browser.required();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable thing : opened) {
            thing.close();
        }
    }

    private <T extends AutoCloseable> T keep(T thing) {
        opened.add(0, thing);
        return thing;
    }

    private OsProcess server(String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("server", "--port", "0", "--web", "0"));
        args.addAll(List.of(options));
        return keep(OsProcess.parley(args.toArray(String[]::new)));
    }

    private static String page(OsProcess server) throws InterruptedException {
        return "http://127.0.0.1:" + WebSocketIT.webPort(server) + "/";
    }

    /** Types {@code text} and Enter into whatever has the focus, as a person at a keyboard does. */
    private static void type(Browser browser, String text) {
        browser.driver.switchTo().activeElement().sendKeys(text, Keys.ENTER);
    }

    @Test
    void aPersonConversesWithTheKeyboardAloneAndSaysBye() throws Exception {
        OsProcess server = server("--responder", "echo");
        Browser browser = keep(Browser.open()).visit(page(server));
        browser.awaitStatus("Your turn: you speak first.");
        WebElement input = browser.find("#message");
        assertEquals(input, browser.driver.switchTo().activeElement(), "the focus is in the message field");

        type(browser, "hello there");
        browser.awaitLine("server: hello there");
        assertEquals(List.of("you: hello there", "server: hello there"), browser.transcript());
        browser.awaitStatus("Your turn.");
        assertEquals(input, browser.driver.switchTo().activeElement(), "the focus comes back on the person's turn");

        type(browser, "!important");
        browser.awaitLine("server: !important");

        type(browser, "bye");
        browser.awaitStatus("The conversation has ended.");
        assertFalse(input.isEnabled(), "no more input once it has ended");
        assertEquals("Start a new conversation", browser.driver.switchTo().activeElement().getText());
        server.err.await("ended: client said bye");

        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.awaitStatus("Your turn: you speak first.");
        type(browser, "again");
        browser.awaitLine("server: again");
        assertTrue(browser.console().isEmpty(), "no script error, no policy violation: " + browser.console());
    }

    @Test
    @Tag("tls")
    void overTlsThePageAndItsWebSocketAreHttpsAndWssWithTheServersKey(@TempDir Path config) throws Exception {
        OsProcess server = keep(OsProcess.parley(Map.of("PARLEY_CONFIG_DIR", config.toString()), List.of(),
                "server", "--port", "0", "--web", "0", "--tls", "--responder", "echo"));
        String fingerprint = server.err.await("(?m)^fingerprint (SHA256:[A-Za-z0-9+/]{43})$");
        String page = "https://127.0.0.1:" + server.err.await("web page on https://127\\.0\\.0\\.1:(\\d+)/") + "/";
        Browser browser = keep(Browser.trusting(fingerprint)).visit(page);
        browser.awaitStatus("Your turn: you speak first.");
        type(browser, "over wss");
        browser.awaitLine("server: over wss");
        assertEquals("https:", browser.script("return location.protocol"));
        server.err.await("conversation \\d+ with 127\\.0\\.0\\.1:\\d+ opened \\(TLS\\)");
        assertTrue(browser.console().isEmpty(), "no script error, no mixed content: " + browser.console());
    }

    @Test
    void aHostileMessageIsShownAsTextAndRunsNothing() throws Exception {
        OsProcess server = server("--responder", "echo");
        Browser browser = keep(Browser.open()).visit(page(server));
        browser.awaitStatus("Your turn");
        String hostile = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>\u202Eevil";
        type(browser, hostile);
        browser.awaitLine("server: " + hostile);
        assertEquals(0L, browser.script("return document.querySelectorAll('#transcript img, #transcript script').length;"));
        assertNull(browser.script("return window.pwned;"), "nothing of it ran");
        assertEquals(hostile, browser.script("return document.querySelectorAll('#transcript .text')[1].textContent;"));
    }

    @Test
    void aBrowserAndATcpClientQueueForTheConsoleOperator() throws Exception {
        OsProcess server = server("--responder", "console");
        Wire tcp = keep(new Wire(server.port()));
        tcp.send("tcp here\n");
        server.out.await("tcp here\n");

        Browser browser = keep(Browser.open()).visit(page(server));
        browser.awaitLine("parley: waiting for the operator; you are number 1 in line");
        browser.awaitStatus("Your turn (waiting for the operator");
        type(browser, "browser here");

        server.type("hello tcp\n");
        assertEquals("hello tcp", tcp.readLineOrNull());
        tcp.send("bye\n");
        server.out.await("browser here\n");
        server.type("hello browser\n");
        browser.awaitLine("server: hello browser");
        browser.awaitStatus("Your turn.");
        browser.find("#leave").click();
        browser.awaitStatus("The conversation has ended.");
        server.err.awaitCount("ended: client said bye", 2);
    }

    @Test
    void aFullServerTellsThePageWhyAndATcpClientCountsToo() throws Exception {
        OsProcess server = server("--responder", "echo", "--max-conversations", "1");
        Wire tcp = keep(new Wire(server.port()));
        assertEquals("holding the only place", tcp.ask("holding the only place"));
        Browser browser = keep(Browser.open()).visit(page(server));
        browser.awaitStatus("The server ended the conversation: busy: 1 conversation open, the most this server takes; try again later");
        assertFalse(browser.find("#message").isEnabled());
        assertEquals("Start a new conversation", browser.driver.switchTo().activeElement().getText());
        server.err.await("refused 127\\.0\\.0\\.1:\\d+: busy: 1 conversation open");
    }

    @Test
    void theServerStoppingTellsThePage() throws Exception {
        OsProcess server = server("--responder", "echo");
        Browser browser = keep(Browser.open()).visit(page(server));
        browser.awaitStatus("Your turn");
        type(browser, "are you there?");
        browser.awaitLine("server: are you there?");
        server.signal("TERM");
        browser.awaitStatus("The server said bye; the conversation has ended.");
        assertFalse(browser.find("#message").isEnabled());
        assertEquals(0, server.exitCode());
    }

    @Test
    void aPageOfAnotherSiteCannotJoinInItsVisitorsBrowser() throws Exception {
        OsProcess server = server("--responder", "echo");
        int web = WebSocketIT.webPort(server);
        HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] html = ("<!doctype html><title>waiting</title><script>const ws = new WebSocket('ws://127.0.0.1:" + web + "/ws');"
                + "ws.onopen = () => document.title = 'joined';"
                + "ws.onclose = (e) => document.title = 'refused ' + e.code;</script>").getBytes(StandardCharsets.UTF_8);
        evil.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        evil.start();
        keep(() -> evil.stop(0));
        Browser browser = keep(Browser.open()).visit("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
        browser.await("the other site's page to be refused", () -> browser.driver.getTitle().startsWith("refused"));
        assertEquals("refused 1006", browser.driver.getTitle());
        server.err.await("cross-site: a WebSocket from a page of another origin");
        assertFalse(server.err.text().contains("opened"), "no conversation was opened for it");
    }

    @Test
    void onAPhoneTheTurnsTheLimitAndTheLabelsAreThereForEveryone() throws Exception {
        OsProcess server = server("--responder", "echo", "--max-line-bytes", "100");
        Browser browser = keep(Browser.phone()).visit(page(server));
        browser.awaitStatus("Your turn");
        assertEquals("log", browser.find("#transcript").getAttribute("role"));
        assertEquals("polite", browser.find("#transcript").getAttribute("aria-live"));
        assertEquals("status", browser.find("#status").getAttribute("role"));
        assertEquals("Your message", browser.script("return document.getElementById('message').labels[0].textContent;"));

        type(browser, "x".repeat(101));
        browser.awaitStatus("Not sent: 101 bytes, and this server takes at most 100. Shorten it.");
        assertTrue(browser.transcript().isEmpty(), "nothing was sent");
        browser.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);

        type(browser, "Hello! Is anyone there?");
        browser.awaitLine("server: Hello! Is anyone there?");
        type(browser, "A long line with a-very-long-unbroken-word-that-must-wrap");
        browser.awaitLine("server: A long line with a-very-long-unbroken-word-that-must-wrap");
        Number overflow = (Number) browser.script("return document.documentElement.scrollWidth - window.innerWidth;");
        assertTrue(overflow.intValue() <= 0, "nothing wider than the phone: " + overflow + " px over");
        Files.write(SCREENSHOT, browser.screenshot());
        System.out.println("browser: the page at a phone's width, as a person sees it: " + SCREENSHOT.toAbsolutePath());
        assertTrue(browser.console().isEmpty(), "no script error, no policy violation: " + browser.console());
    }
}
