package io.tidelog.broker.log;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Releases a {@link MappedByteBuffer}'s mapping now instead of whenever the garbage collector gets
 * to it. Calls {@code sun.misc.Unsafe.invokeCleaner} from the {@code jdk.unsupported} module, which
 * class-path code may use without {@code --add-opens} (checked on Java 17 and 25). It is looked up
 * reflectively so the build does not depend on an internal API at compile time.
 *
 * <p>Invariant the caller must keep: no thread touches the buffer (or any duplicate or slice of it)
 * after {@link #unmap}; the memory is gone and an access crashes the JVM.
 */
final class MappedFileUnmapper {

    private static final MethodHandle INVOKE_CLEANER = lookUpInvokeCleaner();

    private MappedFileUnmapper() {
    }

    static void unmap(MappedByteBuffer buffer) {
        try {
            INVOKE_CLEANER.invokeExact((ByteBuffer) buffer);
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
