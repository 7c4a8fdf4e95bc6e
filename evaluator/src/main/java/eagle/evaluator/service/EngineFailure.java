package eagle.evaluator.service;

/**
 * The engine could not score the base encoder, an artifact known to be good: the evaluator cannot
 * evaluate anything until this is fixed, so it reports itself DOWN (not a verdict on any
 * candidate).
 */
public final class EngineFailure extends RuntimeException {

    public EngineFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
