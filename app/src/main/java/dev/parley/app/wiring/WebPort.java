package dev.parley.app.wiring;

import dev.parley.web.Origins;

/**
 * Where the server's web page listens ({@code --web [ADDR:]PORT}; the address defaults to
 * {@code --bind}) and which other pages may join ({@code --web-origin}).
 */
public record WebPort(String bind, int port, Origins origins) {

    /**
     * Reads {@code --web}: {@code 8080}, {@code 0.0.0.0:8080}, {@code [::1]:8080}.
     *
     * @throws IllegalArgumentException with a message for people when it is not {@code [ADDR:]PORT}
     */
    public static WebPort parse(String text, String defaultBind, Origins origins) {
        ListenAddress address = ListenAddress.parse(text, defaultBind);
        return new WebPort(address.bind(), address.port(), origins);
    }
}
