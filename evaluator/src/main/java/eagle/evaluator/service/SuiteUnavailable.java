package eagle.evaluator.service;

/**
 * The held-out suite cannot be built from its configured source (a COCO set with a missing image,
 * an unknown category, a malformed segmentation, too few annotated images): nothing can be
 * evaluated, so nothing is recorded and production is left as it is until the set is fixed.
 */
public final class SuiteUnavailable extends RuntimeException {

    public SuiteUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
