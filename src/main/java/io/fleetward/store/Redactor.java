package io.fleetward.store;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Removes credentials from JDBC URLs and from error text before either reaches a message or a log.
 * JDBC drivers put URLs (with their {@code password=} parameters) into some of their own messages,
 * so driver text is redacted too, and the configured password is blanked wherever it appears.
 */
final class Redactor {

    private static final String MASK = "***";
    /** {@code password=...}, {@code sslpassword=...}, {@code PWD=...} up to the next {@code ;} or {@code &}. */
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)([a-z_.-]*(?:password|passwd|pwd|secret)[a-z_.-]*\\s*=)[^;&\\s\"']*");
    /** {@code //user:password@host} */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@\\s]*:)[^/@\\s]*@");

    private final Optional<String> password;

    Redactor(Optional<String> password) {
        this.password = password.filter(p -> !p.isEmpty());
    }

    /** The text with every secret parameter, user-info password and occurrence of the password masked. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        if (password.isPresent()) {
            result = result.replace(password.get(), MASK);
        }
        result = SECRET_PARAMETER.matcher(result).replaceAll("$1" + MASK);
        return USER_INFO.matcher(result).replaceAll("$1" + MASK + "@");
    }

    /**
     * A {@link StoreException} saying what failed, with the redacted reason of {@code cause}. The cause
     * chain is rebuilt from redacted copies (same types' names and stack traces), so printing the whole
     * trace cannot leak a secret that a driver put into its own message.
     */
    StoreException failure(String what, Throwable cause) {
        return new StoreException(what + ": " + reason(cause), redactedCopy(cause));
    }

    private String reason(Throwable cause) {
        Throwable innermost = cause;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        String message = innermost.getMessage() != null ? innermost.getMessage() : innermost.getClass().getSimpleName();
        return redact(message.strip());
    }

    private StoreException redactedCopy(Throwable original) {
        if (original == null) {
            return null;
        }
        Throwable next = original.getCause() == original ? null : original.getCause();
        StoreException copy = new StoreException(
                original.getClass().getName() + ": " + redact(String.valueOf(original.getMessage())), redactedCopy(next));
        copy.setStackTrace(original.getStackTrace());
        return copy;
    }
}
