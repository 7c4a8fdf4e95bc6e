package eagle.client;

/**
 * A registry call that did not succeed: either {@link RegistryUnavailableException} (could not be
 * reached, timed out, 5xx — try again later) or {@link RegistryRefusedException} (a 4xx with the
 * registry's code and reason — trying again will not help).
 */
public abstract sealed class RegistryException extends RuntimeException
        permits RegistryUnavailableException, RegistryRefusedException {

    protected RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
