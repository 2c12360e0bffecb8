# lit configuration shared by test/lit and test/e2e.
import os
import lit.formats
import lit.util

site = lit_config.params.get('site')
if not site:
    lit_config.fatal("run through ctest, or pass --param=site=<build>/test/lit/lit.site.cfg.py")
exec(open(site).read())

config.name = 'taskfit'
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = ['.cpp', '.test']
config.excludes = ['Inputs', 'CMakeLists.txt', 'lit.cfg.py', 'lit.site.cfg.py.in', 'expect-exit.py',
                   'README.md']
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.test_build_root,
                                     os.path.basename(config.test_source_root))

rules = os.path.join(config.source_root, 'rules')
validator = os.path.join(config.source_root, 'test', 'sarif-validator', 'validate.js')
# Findings are reported relative to --source-root; tests match `:line:col:` suffixes.
# Longer names first: %taskfit is a prefix of the others. The subcommands must
# come first on the command line; %taskfit-loud keeps progress and summaries.
config.substitutions.append(('%taskfit-exe', config.taskfit))
config.substitutions.append(('%taskfit-extract', f'{config.taskfit} extract --rules-dir={rules} --quiet'))
config.substitutions.append(('%taskfit-link', f'{config.taskfit} link --rules-dir={rules} --quiet'))
config.substitutions.append(('%taskfit-loud', f'{config.taskfit} --rules-dir={rules}'))
config.substitutions.append(('%taskfit', f'{config.taskfit} --rules-dir={rules} --quiet'))
expect_exit = os.path.join(config.source_root, 'test', 'lit', 'expect-exit.py')
config.substitutions.append(('%expect-exit', f'python3 {expect_exit}'))
config.substitutions.append(('%validate-sarif', f'{config.node} {validator}'))
config.substitutions.append(('%inputs', os.path.join(config.source_root, 'test', 'lit', 'Inputs')))
config.substitutions.append(('%repo', config.source_root))
config.environment['PATH'] = os.pathsep.join([config.llvm_bin, config.environment.get('PATH', '')])
config.environment.pop('CI', None)
