package io.tidelog.tools;

import java.time.Duration;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, a plain number of seconds, or ISO-8601 ({@code PT10S}). */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("pt")) {
                return positive(Duration.parse(value.trim().toUpperCase(Locale.ROOT)), value);
            }
            if (text.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))), value);
            }
            if (text.endsWith("s")) {
                return positive(Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1))), value);
            }
            if (text.endsWith("m")) {
                return positive(Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1))), value);
            }
            if (text.endsWith("h")) {
                return positive(Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1))), value);
            }
            return positive(Duration.ofSeconds(Long.parseLong(text)), value);
        } catch (RuntimeException e) {
            if (e instanceof TypeConversionException t) {
                throw t;
            }
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 10s, 2m)");
        }
    }

    private static Duration positive(Duration duration, String value) {
        if (duration.isNegative() || duration.isZero()) {
            throw new TypeConversionException("'" + value + "' must be a positive duration");
        }
        return duration;
    }
}
