package eagle.infra;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Supplier;

/**
 * How {@link SharedInfra} keeps one state per JVM although Quarkus loads it again in each
 * application's runtime class loader: a copy that another loader defined forwards its public static
 * calls by reflection to the copy that the JVM's system class loader defines (arguments and results
 * are JDK types only), and servers are started with a given loader as the thread context class
 * loader, which their threads inherit.
 */
final class SystemLoaderForwarding {

    private SystemLoaderForwarding() {}

    /**
     * The system class loader's copy of {@code type} when {@code type} is another one, else null.
     */
    static Class<?> systemCopy(Class<?> type) {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        if (type.getClassLoader() == system) {
            return null;
        }
        try {
            Class<?> copy = Class.forName(type.getName(), true, system);
            return copy == type ? null : copy;
        } catch (ClassNotFoundException e) {
            return null; // eagle-infra is not on the system class path: keep the state here
        }
    }

    /**
     * Calls the public static {@code method} with {@code args} on {@code type}'s system copy (which
     * must exist), with that copy's loader as context loader; its exception is rethrown as it is
     * when unchecked.
     */
    static Object forward(Class<?> type, String method, Object... args) {
        Class<?> copy = systemCopy(type);
        // Kafka loads configured classes (metrics reporters, serializers) through the context
        // loader
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(copy.getClassLoader());
        try {
            for (Method m : copy.getMethods()) {
                if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                    return m.invoke(null, args);
                }
            }
            throw new IllegalStateException("no method " + method + " on " + copy);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(method + " failed: " + cause, cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method + " on " + copy, e);
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    /** Runs {@code action} with {@code loader} as context loader, which server threads inherit. */
    static <T> T withContextLoader(ClassLoader loader, Supplier<T> action) {
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            current.setContextClassLoader(previous);
        }
    }
}
