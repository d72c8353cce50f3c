/**
 * Whole frames: the 4-byte size prefix ({@link io.tidelog.protocol.frame.FrameLength}, checked
 * against {@code socket.request.max.bytes} before anything is allocated), request and response
 * headers, and the entry points:
 * <ul>
 *   <li>broker in: {@link io.tidelog.protocol.frame.RequestDecoder#decode} → header, status
 *       (OK / unknown API key / unsupported version) and typed body;</li>
 *   <li>broker out: {@link io.tidelog.protocol.frame.FrameEncoder#encodeResponse} →
 *       {@link io.tidelog.protocol.frame.EncodedFrame}, an ordered list of buffer slices and
 *       records (file regions go out with sendfile);
 *       {@link io.tidelog.protocol.frame.ApiVersionsAnswers#unsupportedVersion} for the v0 answer;</li>
 *   <li>clients: {@link io.tidelog.protocol.frame.FrameEncoder#encodeRequest} and
 *       {@link io.tidelog.protocol.frame.ResponseDecoder#decode}.</li>
 * </ul>
 */
package io.tidelog.protocol.frame;
