using Chancery.Bench;

// Whole-process benchmark driver: each benchmark measures its baseline in the same run and prints the ratio.
return args.FirstOrDefault() switch
{
    "ingest" => IngestBenchmark.Run(args[1..]),
    "fuzz" => FuzzBenchmark.Run(args[1..]),
    "kill" => KillBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Chancery.Bench -- ingest [CORPUS_DIR...]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- fuzz [--scale F] [--threads N] [--skip-sizes]");
    Console.Error.WriteLine("       dotnet run -c Release --project bench/Chancery.Bench -- kill [--ingest-kills N] [--review-kills N] [--user-kills N] [--seed N]");
    return 2;
}
