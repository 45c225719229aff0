from lifecat.cli import main

main()
