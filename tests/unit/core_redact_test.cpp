// redact(): secrets never reach a message, and no secret makes it loop.
#include <gtest/gtest.h>

#include "olmd/core/redact.hpp"

namespace olmd {
namespace {

TEST(Redact, EveryOccurrenceReplaced) {
    EXPECT_EQ(redact("key sk_test_1 and sk_test_1 again", "sk_test_1"), "key <redacted> and <redacted> again");
    EXPECT_EQ(redact("sk_test_1sk_test_1", "sk_test_1"), "<redacted><redacted>");
}

TEST(Redact, EmptySecretChangesNothing) { EXPECT_EQ(redact("plain text", ""), "plain text"); }

TEST(Redact, SecretInsideTheMarkerTerminates) {
    // Each of these used to loop forever: the search resumed inside the inserted "<redacted>".
    EXPECT_EQ(redact("a redacted b", "redacted"), "a <redacted> b");
    EXPECT_EQ(redact("<redacted>", "<redacted>"), "<redacted>");
    EXPECT_EQ(redact("dd", "d"), "<redacted><redacted>");
}

}  // namespace
}  // namespace olmd
