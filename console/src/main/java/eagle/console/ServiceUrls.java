package eagle.console;

/** Joins a configured base URL and a service path with exactly one slash. */
final class ServiceUrls {

    private ServiceUrls() {}

    static String join(String base, String path) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String p = path.startsWith("/") ? path.substring(1) : path;
        return b + "/" + p;
    }
}
