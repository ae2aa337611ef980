from partnet.cli import main

main()
