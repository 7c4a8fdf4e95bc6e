package eagle.client;

/**
 * The registry could not be reached, timed out, was interrupted, failed (5xx) or answered something
 * unreadable: the caller retries later (with backoff) or reports itself degraded.
 */
public final class RegistryUnavailableException extends RegistryException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
