# End-to-end tests share the analyser tests' configuration.
import os
lit_config.load_config(config, os.path.join(os.path.dirname(os.path.dirname(__file__)), 'lit', 'lit.cfg.py'))
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.test_build_root, 'e2e')
config.suffixes = ['.test']
