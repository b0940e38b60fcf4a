package dev.parley.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The one page, {@code parley.html}, served from the jar: self-contained (its style and script are
 * inline, nothing is fetched from anywhere), with a Content-Security-Policy that lets only that
 * style and that script run, by their SHA-256 hashes, worked out here from the file itself. Any
 * other script (one smuggled into the page, an inline handler, another site's) is refused by the
 * browser; the page connects only back to this server.
 */
final class WebPage {

    private static final String RESOURCE = "parley.html";
    private static final String LIMIT_PLACEHOLDER = "data-max-line-bytes=\"0\"";

    private final byte[] bytes;
    private final String policy;

    private WebPage(String html) {
        this.policy = "default-src 'none'; script-src " + hash(between(html, "<script>", "</script>")) + "; style-src "
                + hash(between(html, "<style>", "</style>")) + "; connect-src 'self'; img-src data:; base-uri 'none'; "
                + "form-action 'none'; frame-ancestors 'none'";
        this.bytes = html.getBytes(StandardCharsets.UTF_8);
    }

    /** The page, telling its script the longest message the server takes ({@code --max-line-bytes}). */
    static WebPage load(int maxLineBytes) {
        try (InputStream in = WebPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            String html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!html.contains(LIMIT_PLACEHOLDER)) {
                throw new IllegalStateException(RESOURCE + " has no " + LIMIT_PLACEHOLDER);
            }
            return new WebPage(html.replace(LIMIT_PLACEHOLDER, "data-max-line-bytes=\"" + maxLineBytes + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
        }
    }

    /** The page's bytes, UTF-8. */
    byte[] bytes() {
        return bytes;
    }

    /** The Content-Security-Policy header's value. */
    String policy() {
        return policy;
    }

    private static String between(String html, String open, String close) {
        int start = html.indexOf(open);
        int end = html.indexOf(close, start);
        if (start < 0 || end < 0 || html.indexOf(open, start + 1) >= 0) {
            throw new IllegalStateException(RESOURCE + " must hold exactly one " + open + "..." + close);
        }
        return html.substring(start + open.length(), end);
    }

    /** A CSP source for inline content: {@code 'sha256-BASE64'} of its exact text. */
    private static String hash(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
