/**
 * {@link io.patchbay.testing.http.ApiClient}: the HTTP client of both APIs in tests, with exact requests and raw
 * sockets for what {@code java.net.http.HttpClient} will not send.
 */
package io.patchbay.testing.http;
