package io.tidelog.tools;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a point in time as epoch milliseconds: an epoch-ms number, or ISO-8601 with or without a
 * zone ({@code 2026-11-22T06:00:00Z}, {@code 2026-11-22T07:00:00+01:00}, {@code 2026-11-22T06:00},
 * {@code 2026-11-22}); without a zone it is the local time of this machine.
 */
final class Timestamps implements ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        return parse(value, ZoneId.systemDefault());
    }

    static long parse(String value, ZoneId zone) {
        String text = value.trim();
        if (text.matches("\\d+")) {
            return Long.parseLong(text);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(text).atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDate.parse(text).atStartOfDay(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is neither epoch milliseconds nor an ISO-8601 time"
                    + " (e.g. 2026-11-22T06:00:00Z)");
        }
    }
}
