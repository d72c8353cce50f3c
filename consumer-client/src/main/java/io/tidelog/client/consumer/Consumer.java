package io.tidelog.client.consumer;

import io.tidelog.client.common.TopicPartition;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads records from a Kafka-protocol cluster, either from partitions chosen by the application
 * ({@link #assign}) or as a member of a consumer group ({@link #subscribe}).
 *
 * <p>Not thread-safe: one application thread calls every method, except {@link #wakeup()},
 * which any thread may call. Blocking calls throw {@link WakeupException} once woken, and a
 * {@link ConsumerTimeoutException} when their timeout passes without an answer (the timeout is
 * {@code default.api.timeout.ms} where none is passed). Every failure is a
 * {@link ConsumerException} subtype whose message says what to do.
 */
public interface Consumer<K, V> extends AutoCloseable {

    /** Reads exactly these partitions, without a group (replaces any previous assignment). */
    void assign(Collection<TopicPartition> partitions);

    /** The partitions this consumer reads now (assigned, or given by the group). */
    Set<TopicPartition> assignment();

    /** Joins the group {@code group.id} to share the partitions of {@code topics}. */
    void subscribe(Collection<String> topics);

    /** As {@link #subscribe(Collection)}, telling {@code listener} of every partition move. */
    void subscribe(Collection<String> topics, ConsumerRebalanceListener listener);

    /** The topics subscribed to (empty when assigned manually or unsubscribed). */
    Set<String> subscription();

    /** Leaves the group (revoking the partitions) or drops the manual assignment. */
    void unsubscribe();

    /**
     * Returns records fetched for the assigned, unpaused partitions, waiting up to
     * {@code timeout} for some when none are buffered. Also runs group membership (joins,
     * rebalance callbacks), auto-commits and commit callbacks. Returns at most
     * {@code max.poll.records}.
     *
     * @throws InvalidOffsetException a position is invalid and {@code auto.offset.reset=none}
     * @throws RecordDeserializationException a deserializer failed; seek past the offset to skip
     * @throws CorruptRecordException a batch failed its CRC or could not be decompressed
     */
    ConsumerRecords<K, V> poll(Duration timeout);

    /** The next poll reads {@code partition} from {@code offset}. */
    void seek(TopicPartition partition, long offset);

    /** Lazily moves the positions to each partition's log start offset (the next poll looks it up). */
    void seekToBeginning(Collection<TopicPartition> partitions);

    /** Lazily moves the positions to each partition's end (high-water mark). */
    void seekToEnd(Collection<TopicPartition> partitions);

    /** The offset of the next record poll will return from {@code partition}, looking it up if needed. */
    long position(TopicPartition partition);

    long position(TopicPartition partition, Duration timeout);

    /** The group's committed offsets of these partitions (absent: none committed). */
    Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions);

    Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout);

    /** Commits the positions of every assigned partition (what poll has returned so far). */
    void commitSync();

    void commitSync(Duration timeout);

    /** Commits exactly these offsets (each the next offset to read). */
    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets);

    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout);

    /** Commits the current positions without waiting; failures are only logged. */
    void commitAsync();

    /** Commits the current positions without waiting; {@code callback} runs in a later poll. */
    void commitAsync(OffsetCommitCallback callback);

    void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback);

    /** Stops returning records of these partitions (their positions and ownership stay). */
    void pause(Collection<TopicPartition> partitions);

    void resume(Collection<TopicPartition> partitions);

    Set<TopicPartition> paused();

    /** The partitions of {@code topic}, in partition order. @throws UnknownTopicException if it does not exist */
    List<TopicPartition> partitionsFor(String topic);

    List<TopicPartition> partitionsFor(String topic, Duration timeout);

    /** Each partition's log start offset. */
    Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions);

    Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout);

    /** Each partition's end offset (the high-water mark: the offset the next record will get). */
    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions);

    Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout);

    /**
     * Makes the poll (or other blocking call) running now, or else the next one, throw
     * {@link WakeupException}. Safe from any thread.
     */
    void wakeup();

    /**
     * Commits (with auto-commit on), leaves the group and closes the connections, waiting up to
     * {@code timeout} for the broker's answers.
     */
    void close(Duration timeout);

    /** {@link #close(Duration)} with 30 seconds. */
    @Override
    void close();
}
