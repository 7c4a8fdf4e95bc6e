package eagle.scenes.suite;

/** POPE's three ways of choosing absent classes to ask about. */
public enum NegativeSampling {
    /** uniformly among absent classes (seeded per image). */
    RANDOM("random"),
    /** the most frequent absent classes of the training distribution. */
    POPULAR("popular"),
    /** the absent classes that co-occur most with the image's present classes in training. */
    ADVERSARIAL("adversarial");

    private final String key;

    NegativeSampling(String key) {
        this.key = key;
    }

    /** The JSON key. */
    public String key() {
        return key;
    }
}
