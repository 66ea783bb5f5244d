/**
 * caikit's gRPC API beside the HTTP one: the training service, training management, runtime info, health and
 * reflection, with message descriptors generated at run time from each module's parameters by caikit's rules.
 */
package dev.kiln.server.grpc;
