using Chancery.Bench;

// Whole-process benchmark driver: each benchmark measures its baseline in the same run and prints the ratio.
try
{
    return Run(args);
}
catch (InvalidOperationException e)
{
    // what a run cannot do (a missing server, a bad argument) is one line, not a stack trace
    Console.Error.WriteLine("bench: " + e.Message);
    return 2;
}

static int Run(string[] args) => args.FirstOrDefault() switch
{
    "ingest" => IngestBenchmark.Run(args[1..]),
    "search" => SearchBenchmark.Run(args[1..]),
    "search-bare" => SearchBenchmark.RunBare(args[1..]),
    "search-facets" => FacetCostBenchmark.Run(args[1..]),
    "search-profile" => SearchProfileBenchmark.Run(args[1..]),
    "engines" => EngineBenchmark.Run(args[1..]),
    "links" => LinksBenchmark.Run(args[1..]),
    "fuzz" => FuzzBenchmark.Run(args[1..]),
    "kill" => KillBenchmark.Run(args[1..]),
    "soak" => SoakBenchmark.Run(args[1..]),
    "cables" => CableBenchmark.Run(args[1..]),
    "cables-kill" => CableKillBenchmark.Run(args[1..]),
    "cables-worker" => CableKillBenchmark.Worker(args[1..]),
    "cables-transport" => CableTransportBenchmark.Run(args[1..]),
    "cables-transport-kill" => CableTransportKillBenchmark.Run(args[1..]),
    "cables-transport-sender" => CableTransportKillBenchmark.Sender(args[1..]),
    "cables-transport-receiver" => CableTransportKillBenchmark.Receiver(args[1..]),
    "trim" => TrimBenchmark.Run(args[1..]),
    "postgres" => PostgresBenchmark.Run(args[1..]),
    "postgres-fill" => PostgresFillBenchmark.Run(args[1..]),
    "postgres-scale" => PostgresScaleBenchmark.Run(args[1..]),
    "postgres-scale-worker" => PostgresScaleBenchmark.RunWorker(args[1..]),
    "grow" => GrowBenchmark.Run(args[1..]),
    "reindex" => ReindexBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Chancery.Bench -- ingest [CORPUS_DIR...]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- search ARCHIVE_DIR [--rounds N] [--queries FILE]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- search-facets ARCHIVE_DIR [--queries FILE] [--query Q] [--repeat N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- search-profile ARCHIVE_DIR [QUERY...] [--file QUERY_FILE] [--facets] [--repeat N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- engines ARCHIVE_DIR [--rounds N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- fuzz [--scale F] [--threads N] [--skip-sizes]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- cables [--telegrams N] [--posts P] [--senders S] [--backlog B] [--probes K] [--quick]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- cables-kill [--kills K] [--telegrams N] [--posts P] [--seed S]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- cables-transport [--telegrams N] [--posts P] [--senders S] [--url postgres://…] [--transport postgres|rabbitmq|both] [--amqp amqp://…]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- cables-transport-kill [--kills K] [--telegrams N] [--posts P] [--senders S] [--seed S]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- grow ARCHIVE_DIR --documents N CORPUS_DIR...");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- postgres-fill ARCHIVE_DIR --url postgres://… --index-dir DIR");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- postgres-scale --embedded DIR --url postgres://… --index-dir DIR [--rounds N] [--queries FILE] [--no-ingest] [CORPUS_DIR...]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- reindex ARCHIVE_DIR FROM_INDEX_DIR [--threads N]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- kill [--ingest-kills N] [--review-kills N] [--user-kills N] [--seed N]");
    return 2;
}
