package io.tidelog.broker.log;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

import org.slf4j.LoggerFactory;

/**
 * Releases a {@link MappedByteBuffer}'s mapping now instead of whenever the garbage collector gets
 * to it. Calls {@code sun.misc.Unsafe.invokeCleaner} from the {@code jdk.unsupported} module, which
 * class-path code may use without {@code --add-opens}. It is looked up reflectively so the build
 * does not depend on an internal API at compile time.
 *
 * <p>Java versions: works silently on 17 and 21. On 23+ the method is deprecated for removal
 * (JEP 471): it works but prints a one-time warning unless the JVM runs with
 * {@code --sun-misc-unsafe-memory-access=allow} (the root pom's {@code jdk23-plus} profile passes
 * it), and throws {@link UnsupportedOperationException} under {@code =deny}. Then this class falls
 * back to leaving the mapping to the garbage collector and says so once at WARN: slower to give
 * memory back, never unsafe. The lasting replacement is {@code FileChannel.map} with a shared
 * {@code Arena} (Java 22+), which needs a newer release level than the project's 17.
 *
 * <p>Invariant the caller must keep: no thread touches the buffer (or any duplicate or slice of it)
 * after {@link #unmap}; the memory is gone and an access crashes the JVM.
 */
final class MappedFileUnmapper {

    private static final MethodHandle INVOKE_CLEANER = lookUpInvokeCleaner();
    /** Set once the JVM refused; racy but benign (at worst a second refusal is logged). */
    private static volatile boolean denied;

    private MappedFileUnmapper() {
    }

    /**
     * Unmaps {@code buffer} now, or, if this JVM forbids it, leaves it to the garbage collector.
     *
     * @return true if the mapping is gone when this returns
     */
    static boolean unmap(MappedByteBuffer buffer) {
        if (denied) {
            return false;
        }
        try {
            INVOKE_CLEANER.invokeExact((ByteBuffer) buffer);
            return true;
        } catch (UnsupportedOperationException e) {
            denied = true;
            LoggerFactory.getLogger(MappedFileUnmapper.class).warn("This JVM forbids sun.misc.Unsafe.invokeCleaner"
                    + " (--sun-misc-unsafe-memory-access=deny?): closed segments stay mapped until garbage"
                    + " collection. Run with --sun-misc-unsafe-memory-access=allow to unmap on close.", e);
            return false;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("unmapping failed", e);
        }
    }

    private static MethodHandle lookUpInvokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            MethodHandle invokeCleaner = MethodHandles.lookup().findVirtual(unsafeClass, "invokeCleaner",
                    MethodType.methodType(void.class, ByteBuffer.class));
            return invokeCleaner.bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(
                    "sun.misc.Unsafe.invokeCleaner is needed to unmap segments deterministically: " + e);
        }
    }
}
