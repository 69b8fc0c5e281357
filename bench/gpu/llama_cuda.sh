#!/usr/bin/env bash
# On the GPU machine: build llama-cpp-python with CUDA from a slim sdist (llama_slim_sdist.sh) and
# install it into $HOME/site. The image has nvcc, CMake, ninja and scikit-build-core; nothing is
# fetched. The build runs in its own session (setsid), so it goes on between two device calls while
# the machine is held; `wait` polls it.
#   bash bench/gpu/llama_cuda.sh start .llsrc/llama_cpp_python-0.3.36.tar.gz   # returns at once
#   bash bench/gpu/llama_cuda.sh wait 500                                     # until built (exit 3: still building)
#   bash bench/gpu/llama_cuda.sh install                                      # pip --target $HOME/site
set -uo pipefail
build=/root/llama-cuda
case "${1:?start|wait|install}" in
  start)
    [ -f "$build/started" ] && { echo "build already started"; exit 0; }
    mkdir -p "$build/src" "$build/wheel" && tar -xzf "${2:?slim sdist}" -C "$build/src" || exit 1
    date +%s > "$build/started"
    cd "$build/src"/llama_cpp_python-* || exit 1
    # sm_90 = H100 and H200; GGML_NATIVE off keeps the CPU part portable.
    CMAKE_ARGS="-DGGML_CUDA=on -DCMAKE_CUDA_ARCHITECTURES=90 -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF" \
      CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
      setsid nohup python3 -m pip wheel -v --no-deps --no-build-isolation --no-cache-dir -w "$build/wheel" . \
      > "$build/log" 2>&1 < /dev/null &
    echo "CUDA build of llama-cpp-python started ($(nproc) jobs), log $build/log"
    ;;
  wait)
    deadline=$((SECONDS + ${2:-500}))
    until ls "$build"/wheel/*.whl > /dev/null 2>&1; do
      if ! pgrep -f "pip wheel" > /dev/null; then echo "build failed:"; tail -30 "$build/log"; exit 4; fi
      if [ $SECONDS -ge $deadline ]; then echo "still building: $(grep -c 'Building CUDA' "$build/log") CUDA objects so far"; exit 3; fi
      sleep 5
    done
    echo "built in $(( $(stat -c %Y "$build"/wheel/*.whl) - $(cat "$build/started") )) s: $(ls -s "$build"/wheel/*.whl)"
    ;;
  install)
    python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$HOME/site" "$build"/wheel/*.whl || exit 1
    PYTHONPATH=$HOME/site python3 -c "import llama_cpp; print('llama-cpp-python', llama_cpp.__version__, 'GPU offload:', llama_cpp.llama_supports_gpu_offload())"
    ;;
esac
