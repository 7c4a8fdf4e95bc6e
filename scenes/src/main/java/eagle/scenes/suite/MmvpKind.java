package eagle.scenes.suite;

/** The single detail in which the two images of an MMVP pair differ. */
public enum MmvpKind {
    COLOUR("colour"),
    COUNT("count"),
    POSITION("position"),
    PRESENCE("presence"),
    SIZE("size"),
    ORIENTATION("orientation");

    private final String key;

    MmvpKind(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
