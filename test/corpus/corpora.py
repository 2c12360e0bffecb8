"""The real-code corpora taskfit is measured on: Debian's example programs.

Each corpus is a project tree made from a Debian documentation package: its
sources copied as they ship, a compile_commands.json with the flags their own
build uses, and, for a corpus that vendors a library, that library's headers
copied into the tree (project code, not system headers). Every TU that is left
out says why.
"""

ASIO_DOC = "/usr/share/doc/libasio-dev/examples"
BOOST_DOC = "/usr/share/doc/libboost1.81-doc/examples/libs"
OPENMPI_INCLUDE = "/usr/lib/x86_64-linux-gnu/openmpi/include"

CORPORA = [
    {
        "name": "asio-standalone",
        "package": "libasio-doc",
        "what": "standalone Asio 1.22's examples, as a project that vendors Asio",
        "copy": [(ASIO_DOC, "examples")],
        # Asio's headers copied into the tree: its internals are project code,
        # so only the analysis' mechanisms (locks, loops, composed operations),
        # not the project boundary, can keep them quiet.
        "vendor": [("/usr/include/asio.hpp", "include/asio.hpp"),
                   ("/usr/include/asio", "include/asio")],
        "flags": ["-pthread", "-Iinclude"],
        "groups": [
            # (folder under the tree, language standard, extra flags)
            # Asio's own build of these enables Boost (boost::bind placeholders).
            ("examples/cpp03", "c++11", ["-DASIO_ENABLE_BOOST"]),
            ("examples/cpp11", "c++11", []),
            ("examples/cpp14", "c++14", []),
            # Written for the Coroutines TS, which C++20 coroutines replaced.
            ("examples/cpp17", "c++20", []),
        ],
        # The serialization example holds its socket's executor as the
        # polymorphic asio::executor, the default only in that mode.
        "flags_by_name": {"serialization": ["-DASIO_USE_TS_EXECUTOR_AS_DEFAULT"]},
        "skip": {
            "examples/cpp03/windows/transmit_file.cpp": "Windows-only (TransmitFile, windows::overlapped_ptr)",
        },
    },
    {
        "name": "boost-examples",
        "package": "libboost1.81-doc",
        "what": "Boost 1.81's Asio, Beast, Thread, Fiber, Interprocess and MPI examples",
        "copy": [(BOOST_DOC + "/asio/example", "asio/example"),
                 (BOOST_DOC + "/beast/example", "beast/example"),
                 (BOOST_DOC + "/thread/example", "thread/example"),
                 (BOOST_DOC + "/fiber/examples", "fiber/examples"),
                 (BOOST_DOC + "/interprocess/example", "interprocess/example"),
                 (BOOST_DOC + "/mpi/example", "mpi/example")],
        "vendor": [],
        "shims": [("shims/interprocess/test/get_process_id_name.hpp",
                   "interprocess/test/get_process_id_name.hpp"),
                  ("shims/thread/test/remove_error_code_unused_warning.hpp",
                   "thread/test/remove_error_code_unused_warning.hpp")],
        "flags": ["-pthread", "-DBOOST_ALL_NO_LIB"],
        "groups": [
            ("asio/example/cpp03", "c++11", []),
            ("asio/example/cpp11", "c++11", []),
            ("asio/example/cpp14", "c++14", []),
            ("asio/example/cpp17", "c++20", []),
            ("asio/example/cpp20", "c++20", []),
            # Beast's examples include "example/common/...".
            ("beast/example", "c++17", ["-Ibeast"]),
            ("thread/example", "c++14", []),
            ("fiber/examples", "c++17", []),
            ("interprocess/example", "c++17", []),
            ("mpi/example", "c++17", ["-I" + OPENMPI_INCLUDE]),
        ],
        # C++20 for the examples whose folder says they use C++20 awaitables.
        "std_by_name": {"awaitable": "c++20"},
        "flags_by_name": {
            "serialization": ["-DBOOST_ASIO_USE_TS_EXECUTOR_AS_DEFAULT"],
            # It uses std::list without including <list>.
            "server-flex-awaitable": ["-include", "list"],
        },
        "skip": {
            "asio/example/cpp03/windows/transmit_file.cpp": "Windows-only (TransmitFile, windows::overlapped_ptr)",
            "fiber/examples/hip/multiple_streams.cpp": "needs the HIP GPU runtime (hip/hip_runtime.h)",
            "fiber/examples/hip/single_stream.cpp": "needs the HIP GPU runtime (hip/hip_runtime.h)",
            "mpi/example/parallel_example.cpp": "includes boost/random/parallel.hpp, which Boost no longer ships",
            "thread/example/perf_condition_variable.cpp":
                "includes boost/chrono/stopwatches, which Boost never shipped (a proposal's headers)",
            **{f"thread/example/{name}.cpp":
               "Boost.Thread 1.81's future.hpp:4672 reads a member that does not exist (x.that): "
               "GCC lets the template through, Clang rejects it"
               for name in ["executor", "fib_task_region", "generic_executor_ref", "parallel_accumulate",
                            "parallel_quick_sort", "serial_executor", "serial_executor_cont"]},
        },
    },
]
