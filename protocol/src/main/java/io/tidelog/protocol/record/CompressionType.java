package io.tidelog.protocol.record;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * {@code compression.type}: the codec id carried in a batch's attributes (bits 0-2) and the
 * framing Kafka's readers expect for the compressed records block:
 * <ul>
 *   <li>gzip: a gzip member (RFC 1952);</li>
 *   <li>snappy: xerial's snappy-java stream framing (magic header, then length-prefixed blocks),
 *       not raw snappy and not the snappy frame format;</li>
 *   <li>lz4: the LZ4 frame format with independent 64 KiB blocks and no checksums but the header's;</li>
 *   <li>zstd: one zstd frame.</li>
 * </ul>
 * Shared by the clients (compress on send, decompress on fetch) and the broker (the cleaner
 * rewrites compressed batches).
 */
public enum CompressionType {
    NONE(0, "none"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

    private final int codec;
    private final String configName;

    CompressionType(int codec, String configName) {
        this.codec = codec;
        this.configName = configName;
    }

    /** The id in a record batch's attributes. */
    public int codec() {
        return codec;
    }

    public String configName() {
        return configName;
    }

    /** The type named {@code name} (case-insensitive), or empty for a name no codec has. */
    public static Optional<CompressionType> forName(String name) {
        for (CompressionType type : values()) {
            if (type.configName.equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The type whose attribute id is {@code codec}; codecs 5-7 are not defined. */
    public static CompressionType forCodec(int codec) {
        for (CompressionType type : values()) {
            if (type.codec == codec) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown compression codec " + codec);
    }

    /** Compresses {@code records} (position..limit) into a new buffer (position 0). */
    public ByteBuffer compress(ByteBuffer records) {
        byte[] input = new byte[records.remaining()];
        records.duplicate().get(input);
        if (this == ZSTD) {
            return ByteBuffer.wrap(Zstd.compress(input, 3));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, input.length / 2));
        try (OutputStream stream = open(out)) {
            stream.write(input);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing a record batch with " + configName, e);
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    /** Decompresses a records block written with the codec whose id is {@code codec}. */
    public static ByteBuffer decompress(int codec, ByteBuffer block) {
        byte[] input = new byte[block.remaining()];
        block.duplicate().get(input);
        try (InputStream in = openInput(codec, new ByteArrayInputStream(input))) {
            return ByteBuffer.wrap(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("decompressing a records block of codec " + codec, e);
        }
    }

    private static InputStream openInput(int codec, InputStream in) throws IOException {
        switch (codec) {
            case 1:
                return new GZIPInputStream(in);
            case 2:
                return new SnappyInputStream(in);
            case 3:
                return new LZ4FrameInputStream(in);
            case 4:
                return new ZstdInputStream(in);
            default:
                throw new IllegalArgumentException("unknown compression codec " + codec);
        }
    }

    private OutputStream open(ByteArrayOutputStream out) throws IOException {
        switch (this) {
            case GZIP:
                return new GZIPOutputStream(out, 8 * 1024);
            case SNAPPY:
                return new SnappyOutputStream(out);
            case LZ4:
                return new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                        LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE);
            default:
                throw new IllegalStateException(configName + " has no stream codec");
        }
    }
}
