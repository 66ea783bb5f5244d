package dev.kiln.server.api;

import java.util.List;

/**
 * The prediction jobs the server still keeps, the latest submitted first.
 *
 * @param predictions each job's detail
 */
public record PredictionPage(List<PredictionDetail> predictions) {}
