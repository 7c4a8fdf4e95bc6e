package eagle.registry.security;

/**
 * The registry's permissions, carried in a bearer token's {@code groups} claim
 * (docs/ARCHITECTURE.md, Registry: registering, blessing and moving aliases are separate
 * permissions).
 */
public final class Roles {

    /** read models, versions, artifacts, evaluations, aliases and their history */
    public static final String READ = "registry.read";

    /** create models, register versions and upload their artifacts */
    public static final String REGISTER = "registry.register";

    /** record evaluations (the evaluator's blessing) */
    public static final String EVALUATE = "registry.evaluate";

    /** move and roll back aliases (promotion) */
    public static final String ALIAS = "registry.alias";

    public static final String[] ALL = {READ, REGISTER, EVALUATE, ALIAS};

    private Roles() {}
}
