/** The nginx mail proxy's {@code auth_http} adapter: nginx's headers in, the mail login decision out as headers. */
package dev.twofold.mailauth.nginx;
