/**
 * The HTTP layer: one route table ({@link dev.kiln.server.http.Routes}) with handlers as method references, one
 * exception mapper that turns error codes into statuses, the bearer-token check, and the OpenAPI document.
 * Handlers only translate HTTP to {@link dev.kiln.server.jobs.Trainings} calls and back.
 */
package dev.kiln.server.http;
