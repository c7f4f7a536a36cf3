// bootmap: predicts and checks Linux boot memory layouts.

#include "cli/app.hpp"

int main(int argc, char** argv) { return bootmap::cli::run_bootmap(argc, argv); }
