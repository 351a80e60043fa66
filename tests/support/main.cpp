// The doctest runner shared by every test executable.
//
// CTest runs each case alone (`--test-case=<name>`, tests/CMakeLists.txt).
// A name the filter cannot match exactly (CMake once cut names at a ';',
// so four stage-09 cases ran nothing and passed for weeks) would select no
// case, and doctest calls a run of nothing a success. Here it is a failure:
// a run whose filters select no test case exits 1 and says so.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

namespace {

unsigned selected_cases = 0;

// Learns, at the end of the run, how many cases the filters selected.
struct SelectedCases final : doctest::IReporter {
    explicit SelectedCases(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats& stats) override { selected_cases = stats.numTestCasesPassingFilters; }
    void test_case_start(const doctest::TestCaseData&) override {}
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};
REGISTER_LISTENER("selected-cases", 1, SelectedCases);

}  // namespace

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    const int result = context.run();
    if (context.shouldExit()) return result;  // --help, --list-test-cases and the like
    if (result == 0 && selected_cases == 0) {
        std::fprintf(stderr, "no test case matches the filters given: nothing was tested\n");
        return 1;
    }
    return result;
}
