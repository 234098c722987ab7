// TODO(CLI helper): System.CommandLine root with enable | disable | status | log | migrate.
return 2;
